import type { Principal } from '#access/principal'

/*
 * Who asked for a report, as printed on it and kept in its signed manifest. Manifests are stored
 * and published in the clear, so requesters appear by account number, never by name; the audit
 * trail links the number to the person for those allowed to look.
 */
/** Why report pages open requesters' names (recorded with each such read). */
export const REPORT_REVIEW_PURPOSE = 'report_review'

export function requesterLabel(principal: Pick<Principal, 'kind' | 'userId' | 'tokenId'> | null) {
  if (!principal) return 'system'
  return principal.kind === 'token'
    ? `API token #${principal.tokenId}`
    : `user #${principal.userId}`
}
