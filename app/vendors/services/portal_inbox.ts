import { DateTime } from 'luxon'
import type { Principal } from '#access/principal'
import { scopedQuery } from '#access/services/tenant_scope'
import MerchantNotification from '#vendors/models/merchant_notification'

/** The merchant's unread vendor notifications (notices, objection outcomes). */
export class PortalInbox {
  unread(principal: Principal) {
    return scopedQuery(principal, MerchantNotification)
      .whereLike('kind', 'vendors.%')
      .whereNull('read_at')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
  }

  /** Shown once on the portal page, then marked read for the whole merchant. */
  async takeUnread(principal: Principal) {
    const notifications = await this.unread(principal)
    if (notifications.length) {
      await scopedQuery(principal, MerchantNotification)
        .whereIn(
          'id',
          notifications.map((n) => n.id)
        )
        .update({ read_at: DateTime.utc().toSQL() })
    }
    return notifications
  }
}

const portalInbox = new PortalInbox()
export default portalInbox
