// The sub-suites of the telephony conformance suite, by name: one line each. A sub-suite is a
// `TelephonySubSuite` exported by a module of this folder; its name here is the one that `only` and
// `skip` take, and the title of its `describe` block. They run in the alphabetical order of the names.
export { telephonyDeadlineConformance as deadline } from "./telephony-deadline-conformance"
export { telephonyDialConformance as dial } from "./telephony-dial-conformance"
export { telephonyIdempotencyConformance as idempotency } from "./telephony-idempotency-conformance"
export { telephonyRefusalConformance as refusal } from "./telephony-refusal-conformance"
