import { Effect, Layer } from "effect"
import { httpTelephony } from "rmc-details/http"
import { describeTelephonyConformance, fakeVoipFarEnd, startFakeVoipServer } from "rmc-details/testing"

// The telephony the application uses, pointed at a fake VoIP platform on 127.0.0.1 that the suite
// observes (calls placed) and steers (refusals, outages, silence) as the far end.
const telephony = Layer.unwrap(
  Effect.gen(function* () {
    const voip = yield* Effect.acquireRelease(
      Effect.promise(() => startFakeVoipServer()),
      (server) => Effect.promise(() => server.close()),
    )
    const phone = httpTelephony({ baseUrl: voip.url, attemptTimeoutMs: 200, deadlineMs: 1_500, retries: 3 })
    return Layer.merge(phone, fakeVoipFarEnd(voip))
  }),
)

describeTelephonyConformance("my telephony", telephony, { deadlineMs: 1_500 })
