import type { Page } from "../../domain/shared/page"

/**
 * Every item of a paged list as one JSON document per line (`application/x-ndjson`), from its
 * first page on: the next page is read only once the reader took the previous one, so that a long
 * export never sits whole in memory. A failure after the first page aborts the stream: the
 * reader sees a cut response, never a short one taken for complete.
 *
 * @internal
 */
export const ndjsonPages = (first: Page<unknown>, next: (cursor: string) => Promise<Page<unknown>>): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder()
  let page: Page<unknown> | null = first
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (page === null) {
        controller.close()
        return
      }
      const { items, nextCursor } = page
      if (items.length > 0) controller.enqueue(encoder.encode(items.map((item) => `${JSON.stringify(item)}\n`).join("")))
      page = nextCursor === null ? null : await next(nextCursor)
    },
  })
}
