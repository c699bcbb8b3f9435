import env from '#start/env'

/**
 * Working-day calendars for legal deadlines (DSRs: GDPR Art. 12(3) with Reg. 1182/71 Art. 3(4);
 * government requests: PDPL Art. 10's six working days). Each jurisdiction has its weekend and
 * its public holidays (ISO days). Egypt's movable feasts follow the official announcements;
 * add next year's dates here when the cabinet publishes them. A jurisdiction's extra days may
 * also come from the environment (`CALENDAR_EXTRA_HOLIDAYS_EG=2026-07-01,2026-07-02`).
 */
export type Jurisdiction = 'EG' | 'EU'

export interface CalendarDefinition {
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are not working days. */
  weekend: number[]
  /** IANA time zone in which the calendar's days begin and end. */
  timeZone: string
  holidays: string[]
}

function extra(name: string) {
  return (env.get(name) ?? '')
    .split(',')
    .map((day: string) => day.trim())
    .filter(Boolean)
}

const calendars: Record<Jurisdiction, CalendarDefinition> = {
  EG: {
    // Friday–Saturday
    weekend: [5, 6],
    timeZone: 'Africa/Cairo',
    holidays: [
      // 2026
      '2026-01-07', // Coptic Christmas
      '2026-01-25', // Revolution Day (25 January) and Police Day
      '2026-03-19', // Eid al-Fitr (announced dates)
      '2026-03-20',
      '2026-03-21',
      '2026-03-22',
      '2026-04-13', // Sham El-Nessim
      '2026-04-25', // Sinai Liberation Day
      '2026-05-01', // Labour Day
      '2026-05-26', // Arafat Day
      '2026-05-27', // Eid al-Adha
      '2026-05-28',
      '2026-05-29',
      '2026-06-16', // Islamic New Year
      '2026-06-30', // 30 June Revolution
      '2026-07-23', // Revolution Day (23 July)
      '2026-08-25', // Prophet's Birthday
      '2026-10-06', // Armed Forces Day
      // 2027
      '2027-01-07',
      '2027-01-25',
      '2027-03-09', // Eid al-Fitr
      '2027-03-10',
      '2027-03-11',
      '2027-04-25',
      '2027-05-01',
      '2027-05-03', // Sham El-Nessim
      '2027-05-15', // Arafat Day
      '2027-05-16', // Eid al-Adha
      '2027-05-17',
      '2027-05-18',
      '2027-06-06', // Islamic New Year
      '2027-06-30',
      '2027-07-23',
      '2027-08-15', // Prophet's Birthday
      '2027-10-06',
      ...extra('CALENDAR_EXTRA_HOLIDAYS_EG'),
    ],
  },
  EU: {
    // Saturday–Sunday; the days the EU institutions close (Commission decision, common to all)
    weekend: [6, 7],
    timeZone: 'Europe/Brussels',
    holidays: [
      '2026-01-01',
      '2026-04-03', // Good Friday
      '2026-04-06', // Easter Monday
      '2026-05-01',
      '2026-05-09', // Europe Day
      '2026-05-14', // Ascension
      '2026-05-25', // Whit Monday
      '2026-12-25',
      '2026-12-26',
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-01',
      '2027-05-06',
      '2027-05-09',
      '2027-05-17',
      '2027-12-25',
      '2027-12-26',
      ...extra('CALENDAR_EXTRA_HOLIDAYS_EU'),
    ],
  },
}

const calendarsConfig = {
  calendars,
  /**
   * The hub's own target for a DSR: this many working days before the controller's deadline
   * (the clock runs from the merchant's receipt, so the hub must finish first).
   */
  dsrInternalMarginWorkingDays: env.get('DSR_INTERNAL_MARGIN_WORKING_DAYS', 5),
}

export default calendarsConfig
