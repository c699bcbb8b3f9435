/* jsonb columns holding a list (ids, codes) or an object. */
export const jsonList = <T>() => ({
  prepare: (value: T[]) => JSON.stringify(value ?? []),
  consume: (value: unknown) => (Array.isArray(value) ? (value as T[]) : []),
})

export const jsonObject = <T extends object>() => ({
  prepare: (value: T) => JSON.stringify(value ?? {}),
  consume: (value: unknown) => (value && typeof value === 'object' ? (value as T) : ({} as T)),
})
