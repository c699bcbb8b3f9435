/* A jsonb column holding a list of strings (security measures and the like). */
export const jsonStringList = {
  prepare: (value: string[]) => JSON.stringify(value ?? []),
  consume: (value: unknown) => (Array.isArray(value) ? (value as string[]) : []),
}
