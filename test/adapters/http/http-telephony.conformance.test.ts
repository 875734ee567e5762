import { Effect, Layer } from "effect"
import { httpTelephony } from "../../../src/adapters/http"
import { describeTelephonyConformance, fakeVoipFarEnd, startFakeVoipServer } from "../../../src/testing"

const timing = { attemptTimeoutMs: 150, deadlineMs: 1_200, backoffMs: 5, retries: 4 }

// httpTelephony against the fake VoIP platform on 127.0.0.1, started with the layer and stopped with it.
const underTest = Layer.unwrap(
  Effect.gen(function* () {
    const voip = yield* Effect.acquireRelease(
      Effect.promise(() => startFakeVoipServer()),
      (server) => Effect.promise(() => server.close()),
    )
    return Layer.merge(httpTelephony({ baseUrl: voip.url, ...timing }), fakeVoipFarEnd(voip))
  }),
)

describeTelephonyConformance("http against a VoIP platform", underTest, { deadlineMs: timing.deadlineMs })
