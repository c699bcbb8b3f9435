import type { ModelPaginatorContract, LucidRow } from '@adonisjs/lucid/types/model'
import vine from '@vinejs/vine'

/** Query-string paging shared by every list, in the console and the API. */
export const pageQuery = {
  page: vine.number().positive().withoutDecimals().optional(),
  perPage: vine.number().positive().withoutDecimals().max(100).optional(),
}

export function pageOf(input: { page?: number; perPage?: number }) {
  return { page: input.page ?? 1, perPage: input.perPage ?? 25 }
}

/** The API's list envelope: `{ data, meta: { total, page, perPage, lastPage } }`. */
export function listEnvelope<Row extends LucidRow, Out>(
  paginator: ModelPaginatorContract<Row>,
  serialize: (row: Row) => Out
) {
  return {
    data: paginator.all().map(serialize),
    meta: {
      total: paginator.total,
      page: paginator.currentPage,
      perPage: paginator.perPage,
      lastPage: paginator.lastPage,
    },
  }
}

/** A list's filters as a pager's query string: without the page and without empty values. */
export function filtersOf(input: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(input).filter(
      ([key, value]) => key !== 'page' && value !== undefined && value !== null && value !== ''
    )
  )
}
