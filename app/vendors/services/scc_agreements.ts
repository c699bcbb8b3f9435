import { DateTime } from 'luxon'
import { auditedWrite } from '#audit/services/audited_write'
import { Conflict, DomainError, FieldInvalid, NotFound } from '#core/errors'
import { countryName } from '#core/countries'
import Merchant from '#merchants/models/merchant'
import Subprocessor from '#vendors/models/subprocessor'
import SccAgreement, { type SccModule } from '#vendors/models/scc_agreement'
import SccParty from '#vendors/models/scc_party'
import type { SccAgreementInput, SccPartyInput } from '#vendors/validators/scc_agreement'

const dateOf = (value: Date | undefined) => (value ? DateTime.fromJSDate(value) : DateTime.utc())

/** SCC agreements, their parties and accessions under the docking clause (Cl. 7). */
export class SccAgreements {
  list(page = 1, perPage = 25) {
    return SccAgreement.query()
      .preload('parties', (q) => q.orderBy('joined_on').orderBy('id'))
      .preload('subprocessor')
      .orderBy('module')
      .orderBy('reference')
      .paginate(page, perPage)
  }

  async find(id: number) {
    const agreement = await SccAgreement.query()
      .where('id', id)
      .preload('parties', (q) => q.orderBy('side').orderBy('joined_on').orderBy('id'))
      .preload('subprocessor')
      .first()
    if (!agreement) throw new NotFound('SCC agreement')
    return agreement
  }

  async create(input: SccAgreementInput) {
    if (await SccAgreement.findBy('reference', input.reference)) {
      throw new FieldInvalid(
        'reference',
        `An agreement with reference "${input.reference}" exists.`,
        'vendors_scc_reference_taken'
      )
    }
    if (input.module === 3 && !input.subprocessorId) {
      throw new FieldInvalid(
        'subprocessorId',
        'Module 3 binds a subprocessor: choose which one.',
        'vendors_scc_module3_needs_subprocessor'
      )
    }
    if (input.subprocessorId && !(await Subprocessor.find(input.subprocessorId))) {
      throw new FieldInvalid(
        'subprocessorId',
        'That subprocessor does not exist.',
        'vendors_unknown_subprocessor'
      )
    }
    return auditedWrite(
      (trx) =>
        SccAgreement.create(
          {
            reference: input.reference,
            title: input.title,
            module: input.module as SccModule,
            signedOn: DateTime.fromJSDate(input.signedOn),
            status: 'active',
            dockingClause: true,
            governingLawCountry: input.governingLawCountry,
            supervisoryAuthority: input.supervisoryAuthority,
            transferFrequency: input.transferFrequency,
            processingNature: input.processingNature,
            subprocessorId: input.subprocessorId ?? null,
          },
          { client: trx }
        ),
      (agreement) => ({
        action: 'vendors.scc.create',
        target: { type: 'scc_agreement', id: agreement.id },
        meta: { module: input.module },
      })
    )
  }

  /** An original signatory (joined by signature on the agreement's date unless given). */
  async addParty(agreement: SccAgreement, input: SccPartyInput) {
    if (input.merchantId && !(await Merchant.find(input.merchantId))) {
      throw new FieldInvalid(
        'merchantId',
        'That merchant does not exist.',
        'vendors_unknown_merchant'
      )
    }
    return this.insertParty(agreement, {
      ...input,
      merchantId: input.merchantId ?? null,
      subprocessorId: input.subprocessorId ?? null,
      joinedVia: 'signature',
      joinedOn: input.joinedOn ? DateTime.fromJSDate(input.joinedOn) : agreement.signedOn,
    })
  }

  /**
   * Clause 7: a merchant accedes as a data exporter (controller) by completing the Appendix and
   * Annex I.A; from then on it is a party with the rights and duties of its role.
   */
  async accede(agreement: SccAgreement, merchantId: number, joinedOn?: Date) {
    if (agreement.status !== 'active' || !agreement.dockingClause) {
      throw new DomainError(
        'accession_not_possible',
        'Only an active agreement with the docking clause can be acceded to.',
        {
          status: 422,
        }
      )
    }
    const merchant = await Merchant.find(merchantId)
    if (!merchant) {
      throw new FieldInvalid(
        'merchantId',
        'That merchant does not exist.',
        'vendors_unknown_merchant'
      )
    }
    const existing = await SccParty.query().where({ agreementId: agreement.id, merchantId }).first()
    if (existing)
      throw new Conflict(
        'already_party',
        `${merchant.legalName} is already a party to ${agreement.reference}.`
      )

    const exporterRole =
      agreement.module === 1 || agreement.module === 2 ? 'controller' : 'processor'
    return this.insertParty(agreement, {
      side: 'exporter',
      role: exporterRole,
      name: merchant.legalName,
      address: countryName(merchant.countryCode),
      countryCode: merchant.countryCode,
      contact: 'Merchant administrator, via the Conversera merchant portal',
      activities: 'Use of the Conversera conversational commerce platform for its customers.',
      merchantId: merchant.id,
      subprocessorId: null,
      joinedVia: 'accession',
      joinedOn: dateOf(joinedOn),
    })
  }

  private async insertParty(
    agreement: SccAgreement,
    values: Omit<SccPartyInput, 'joinedOn' | 'merchantId' | 'subprocessorId'> & {
      merchantId: number | null
      subprocessorId: number | null
      joinedVia: 'signature' | 'accession'
      joinedOn: DateTime
    }
  ) {
    return auditedWrite(
      (trx) => SccParty.create({ agreementId: agreement.id, ...values }, { client: trx }),
      (party) => ({
        action: values.joinedVia === 'accession' ? 'vendors.scc.accede' : 'vendors.scc.add_party',
        merchantId: values.merchantId,
        target: { type: 'scc_agreement', id: agreement.id },
        meta: { partyId: party.id, side: values.side },
      })
    )
  }

  /** Active agreements of `module` that bind this subprocessor as importer. */
  activeFor(subprocessorId: number, module: SccModule) {
    return SccAgreement.query()
      .where({ module, status: 'active' })
      .where((q) =>
        q
          .where('subprocessor_id', subprocessorId)
          .orWhereIn(
            'id',
            SccParty.query().select('agreement_id').where({ subprocessorId, side: 'importer' })
          )
      )
  }

  /** Active agreements with an importer in `country` (e.g. the Module 2 SCCs for transfers to EG). */
  activeWithImporterIn(country: string) {
    return SccAgreement.query()
      .where('status', 'active')
      .whereIn(
        'id',
        SccParty.query().select('agreement_id').where({ side: 'importer', countryCode: country })
      )
  }
}

const sccAgreements = new SccAgreements()
export default sccAgreements
