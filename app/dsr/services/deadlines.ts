import { DateTime } from 'luxon'
import calendarsConfig, { type CalendarDefinition, type Jurisdiction } from '#config/calendars'

export type { Jurisdiction } from '#config/calendars'

/**
 * Working-day arithmetic and the legal deadlines built on it. Days are calendar dates (ISO
 * `YYYY-MM-DD`) in the jurisdiction's own time zone; a deadline is the whole of its day.
 * Government requests reuse `addWorkingDays` (PDPL Art. 10: six working days) and `addHours`
 * (e-Evidence: eight hours in an emergency).
 */
export class WorkingCalendar {
  readonly weekend: ReadonlySet<number>
  readonly holidays: ReadonlySet<string>
  readonly timeZone: string

  constructor(definition: CalendarDefinition) {
    this.weekend = new Set(definition.weekend)
    this.holidays = new Set(definition.holidays)
    this.timeZone = definition.timeZone
  }

  isWorkingDay(day: DateTime) {
    return !this.weekend.has(day.weekday) && !this.holidays.has(day.toISODate()!)
  }
}

const cache = new Map<Jurisdiction, WorkingCalendar>()

export function calendarFor(jurisdiction: Jurisdiction | WorkingCalendar) {
  if (jurisdiction instanceof WorkingCalendar) return jurisdiction
  let calendar = cache.get(jurisdiction)
  if (!calendar) {
    calendar = new WorkingCalendar(calendarsConfig.calendars[jurisdiction])
    cache.set(jurisdiction, calendar)
  }
  return calendar
}

/**
 * The calendar a merchant's deadlines run on: Egypt's for Egyptian merchants, the EU's (the
 * GDPR's own clock) for everyone else.
 */
export function jurisdictionOf(countryCode: string | null | undefined): Jurisdiction {
  return (countryCode ?? '').toUpperCase() === 'EG' ? 'EG' : 'EU'
}

type DayInput = DateTime | string

/** A calendar day: an ISO date string, or a DateTime read in the calendar's zone. */
function dayOf(input: DayInput, calendar: WorkingCalendar) {
  const day =
    typeof input === 'string'
      ? DateTime.fromISO(input, { zone: calendar.timeZone })
      : input.setZone(calendar.timeZone)
  if (!day.isValid) throw new TypeError(`Not a date: ${String(input)}`)
  return day.startOf('day')
}

/** The day itself if it is a working day, else the first working day after it. */
export function nextWorkingDay(date: DayInput, jurisdiction: Jurisdiction | WorkingCalendar) {
  const calendar = calendarFor(jurisdiction)
  let day = dayOf(date, calendar)
  // A year of consecutive closed days would be a broken calendar, not a long holiday
  for (let guard = 0; guard < 366 && !calendar.isWorkingDay(day); guard++) {
    day = day.plus({ days: 1 })
  }
  return day
}

/** `n` working days after `start` (the start day itself is not counted). */
export function addWorkingDays(
  start: DayInput,
  n: number,
  jurisdiction: Jurisdiction | WorkingCalendar
) {
  if (!Number.isInteger(n)) throw new TypeError('Working days must be a whole number')
  const calendar = calendarFor(jurisdiction)
  let day = dayOf(start, calendar)
  const step = n < 0 ? -1 : 1
  for (let left = Math.abs(n); left > 0; ) {
    day = day.plus({ days: step })
    if (calendar.isWorkingDay(day)) left--
  }
  return day
}

/** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier. */
export function workingDaysBetween(
  from: DayInput,
  to: DayInput,
  jurisdiction: Jurisdiction | WorkingCalendar
) {
  const calendar = calendarFor(jurisdiction)
  const start = dayOf(from, calendar)
  const end = dayOf(to, calendar)
  const step = end < start ? -1 : 1
  let count = 0
  for (let day = start; !day.hasSame(end, 'day'); ) {
    day = day.plus({ days: step })
    if (calendar.isWorkingDay(day)) count += step
  }
  return count
}

/** Clock hours (e-Evidence emergencies run in hours, weekends included). */
export function addHours(start: DateTime, hours: number) {
  return start.plus({ hours })
}

/**
 * GDPR Art. 12(3) with Reg. 1182/71 Art. 3: the day of receipt is not counted; a period in months
 * ends on the same date `months` later, or on that month's last day when it has no such date
 * (31 Jan → 28/29 Feb, which luxon's month arithmetic already does); a last day that is not a
 * working day moves to the next working day.
 */
export function monthsDeadline(
  receivedOn: DayInput,
  months: number,
  jurisdiction: Jurisdiction | WorkingCalendar
) {
  const calendar = calendarFor(jurisdiction)
  return nextWorkingDay(dayOf(receivedOn, calendar).plus({ months }), calendar)
}

export interface DsrDeadlines {
  /** The controller's deadline (Art. 12(3)), extended if an extension was taken. */
  dueOn: DateTime
  /** The hub's own, earlier target. */
  internalDueOn: DateTime
}

/** The one-month deadline, or three months with the one extension Art. 12(3) allows. */
export function dsrDeadline(
  receivedOn: DayInput,
  jurisdiction: Jurisdiction | WorkingCalendar,
  options: { extensionMonths?: number; internalMarginWorkingDays?: number } = {}
): DsrDeadlines {
  const extension = options.extensionMonths ?? 0
  if (extension < 0 || extension > 2 || !Number.isInteger(extension)) {
    throw new RangeError('Art. 12(3) allows an extension of one or two months only')
  }
  const calendar = calendarFor(jurisdiction)
  const received = dayOf(receivedOn, calendar)
  const dueOn = monthsDeadline(received, 1 + extension, calendar)
  return { dueOn, internalDueOn: internalTarget(received, dueOn, calendar, options) }
}

/**
 * The hub's target: a configurable number of working days before the deadline, never before
 * the first working day after receipt.
 */
export function internalTarget(
  receivedOn: DayInput,
  dueOn: DayInput,
  jurisdiction: Jurisdiction | WorkingCalendar,
  options: { internalMarginWorkingDays?: number } = {}
) {
  const calendar = calendarFor(jurisdiction)
  const margin = options.internalMarginWorkingDays ?? calendarsConfig.dsrInternalMarginWorkingDays
  const target = addWorkingDays(dueOn, -margin, calendar)
  const earliest = addWorkingDays(receivedOn, 1, calendar)
  return target < earliest ? earliest : target
}

/** The moment a deadline day is over, in UTC: the end of the day in the calendar's zone. */
export function endOfDay(day: DayInput, jurisdiction: Jurisdiction | WorkingCalendar) {
  const calendar = calendarFor(jurisdiction)
  return dayOf(day, calendar).endOf('day').toUTC()
}

/** Today in the calendar's zone. */
export function today(jurisdiction: Jurisdiction | WorkingCalendar) {
  return DateTime.now().setZone(calendarFor(jurisdiction).timeZone).startOf('day')
}
