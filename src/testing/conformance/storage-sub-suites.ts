// The sub-suites of the storage conformance suite, by name: one line each. A sub-suite is a
// `StorageSubSuite` exported by a module of this folder; its name here is the one that `only` and
// `skip` take, and the title of its `describe` block. They run in the alphabetical order of the names.
export { activityAndOutboxConformance as activityAndOutbox } from "./activity-and-outbox-conformance"
export { callsConformance as calls } from "./calls-conformance"
export { catalogsConformance as catalogs } from "./catalogs-conformance"
export { contactsAndConversationsConformance as contactsAndConversations } from "./contacts-and-conversations-conformance"
export { detailsConformance as details } from "./details-conformance"
export { hygieneConformance as hygiene } from "./hygiene-conformance"
export { idempotencyConformance as idempotency } from "./idempotency-conformance"
export { storageModelTest as model } from "./storage-model"
export { notesConformance as notes } from "./notes-conformance"
export { racesConformance as races } from "./race-conformance"
export { retriesConformance as retries } from "./retries-conformance"
export { searchAndReportsConformance as searchAndReports } from "./search-and-reports-conformance"
export { settingsConformance as settings } from "./settings-conformance"
export { taggingConformance as tagging } from "./tagging-conformance"
export { tenantIsolationConformance as tenantIsolation } from "./tenant-isolation-conformance"
export { transactionsConformance as transactions } from "./transactions-conformance"
