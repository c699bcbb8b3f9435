/*
 * Every module's part of the /api/v1 OpenAPI document. A module with API routes writes
 * `app/<module>/openapi.ts` and adds it here; tests/functional/api_reference fails for any
 * /api/v1 route the document does not describe.
 */
import { buildDocument } from '#api_reference/openapi'
import { referenceApi } from '#api_reference/reference_paths'
import { accessApi } from '#access/openapi'
import { vendorsApi } from '#vendors/openapi'
import { dataMapApi } from '#data_map/openapi'
import { auditApi } from '#audit/openapi'
import { reportsApi } from '#reports/openapi'
import { governmentRequestsApi } from '#government_requests/openapi'
import { dsrApi } from '#dsr/openapi'
import { terminationApi } from '#dsr/termination/openapi'

export const openApiDocument = buildDocument([
  accessApi,
  vendorsApi,
  dataMapApi,
  auditApi,
  reportsApi,
  governmentRequestsApi,
  dsrApi,
  terminationApi,
  referenceApi,
])
