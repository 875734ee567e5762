import { describeTelephonyConformance, memoryTelephonyUnderTest } from "../../../src/testing"

describeTelephonyConformance("memory", memoryTelephonyUnderTest(), {
  skip: { deadline: "an in-memory telephony system answers at once: it has no far end that can stay silent" },
})
