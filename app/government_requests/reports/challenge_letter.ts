import { authorityLetter } from '#government_requests/reports/authority_letter'

/** `government-challenge --case <reference>`: the notice that a request is being challenged. */
export default authorityLetter('challenge')
