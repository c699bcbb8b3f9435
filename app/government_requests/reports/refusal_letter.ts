import { authorityLetter } from '#government_requests/reports/authority_letter'

/** `government-refusal --case <reference>`: the reasoned refusal of a rejected request. */
export default authorityLetter('reject')
