import logger from '@adonisjs/core/services/logger'
import type DsrCase from '#dsr/models/dsr_case'
import type { SubjectIdentifiers } from '#dsr/models/dsr_case'

/**
 * The DSR execution interface (CONTRACTS.md): the subject-data locator and the executors live in
 * `app/dsr/execution/`. Case management calls them only through this port, so a case can be
 * received, tracked and closed by hand in a build without them: `available()` is then false and
 * cases wait `in_progress`.
 */
export interface LocateResult {
  customers: number[]
  tables: { table: string; column?: string; rows: number }[]
  total: number
}

export interface ExecutionModule {
  locateSubject(merchantId: number, identifiers: SubjectIdentifiers): Promise<LocateResult>
  executeCase(dsrCase: DsrCase): Promise<unknown>
}

/* Module specifiers kept in variables: the files belong to the execution stream. */
const LOCATOR = '#dsr/execution/locator'
const EXECUTOR = '#dsr/execution/execute_case'

let loading: Promise<ExecutionModule | null> | undefined

async function load(): Promise<ExecutionModule | null> {
  try {
    const [locator, executor] = await Promise.all([import(LOCATOR), import(EXECUTOR)])
    if (typeof locator.locateSubject !== 'function' || typeof executor.executeCase !== 'function') {
      return null
    }
    return { locateSubject: locator.locateSubject, executeCase: executor.executeCase }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_IMPORT_NOT_DEFINED') {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ERR_MODULE_NOT_FOUND') throw error
    }
    logger.info('DSR execution module not installed: cases wait in progress')
    return null
  }
}

/** The execution module, or null in a build without it. */
export function executionModule() {
  loading ??= load()
  return loading
}

/** For tests: stand in for the execution module (returns a function restoring the real one). */
export function useExecutionModule(module: ExecutionModule | null) {
  const previous = loading
  loading = Promise.resolve(module)
  return () => {
    loading = previous
  }
}
