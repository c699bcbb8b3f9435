import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import {
  WorkingCalendar,
  addHours,
  addWorkingDays,
  dsrDeadline,
  endOfDay,
  internalTarget,
  jurisdictionOf,
  nextWorkingDay,
  workingDaysBetween,
} from '#dsr/services/deadlines'

/* Fixed calendars, so the table does not move when the configured holiday lists change. */
const EG = new WorkingCalendar({
  weekend: [5, 6],
  timeZone: 'Africa/Cairo',
  holidays: ['2026-04-25', '2026-05-01', '2026-10-06', '2027-01-07'],
})
const EU = new WorkingCalendar({
  weekend: [6, 7],
  timeZone: 'Europe/Brussels',
  holidays: ['2026-04-06', '2026-05-01', '2026-12-25', '2027-01-01'],
})

test.group('dsr / deadlines: Art. 12(3) one month', () => {
  const table: { received: string; calendar: WorkingCalendar; due: string; why: string }[] = [
    { received: '2026-03-10', calendar: EU, due: '2026-04-10', why: 'same date next month (Fri)' },
    { received: '2026-01-31', calendar: EU, due: '2026-03-02', why: '31 Jan → 28 Feb (Sat) → Mon' },
    {
      received: '2026-01-31',
      calendar: EG,
      due: '2026-03-01',
      why: '28 Feb is a Saturday in EG → Sun',
    },
    { received: '2028-01-31', calendar: EU, due: '2028-02-29', why: 'leap year: 29 Feb (Tue)' },
    { received: '2026-01-30', calendar: EU, due: '2026-03-02', why: '30 Jan has no 30 Feb either' },
    { received: '2026-03-31', calendar: EU, due: '2026-04-30', why: '31 Mar → 30 Apr' },
    { received: '2026-05-31', calendar: EU, due: '2026-06-30', why: '31 May → 30 Jun' },
    { received: '2026-04-01', calendar: EU, due: '2026-05-04', why: '1 May holiday, then weekend' },
    {
      received: '2026-04-01',
      calendar: EG,
      due: '2026-05-03',
      why: '1 May holiday (Fri), Sat weekend',
    },
    { received: '2026-09-06', calendar: EG, due: '2026-10-07', why: '6 Oct Armed Forces Day' },
    { received: '2026-07-10', calendar: EG, due: '2026-08-10', why: 'Monday: no shift' },
    { received: '2026-07-14', calendar: EG, due: '2026-08-16', why: '14 Aug is a Friday in EG' },
    {
      received: '2026-07-14',
      calendar: EU,
      due: '2026-08-14',
      why: '14 Aug is a Friday: working in the EU',
    },
    { received: '2026-10-15', calendar: EU, due: '2026-11-16', why: '15 Nov is a Sunday' },
    {
      received: '2026-11-25',
      calendar: EU,
      due: '2026-12-28',
      why: '25 Dec holiday, weekend after',
    },
    {
      received: '2026-12-01',
      calendar: EU,
      due: '2027-01-04',
      why: 'year boundary, 1 Jan holiday',
    },
    {
      received: '2026-12-07',
      calendar: EG,
      due: '2027-01-10',
      why: '7 Jan holiday, Fri–Sat weekend',
    },
  ]

  for (const row of table) {
    test(`received ${row.received} → due ${row.due}: ${row.why}`, ({ assert }) => {
      assert.equal(dsrDeadline(row.received, row.calendar).dueOn.toISODate(), row.due, row.why)
    })
  }

  test('the day of receipt is not counted, whatever the time of day it came in', ({ assert }) => {
    const lateInTheDay = DateTime.fromISO('2026-03-10T23:30:00', { zone: 'Europe/Brussels' })
    assert.equal(dsrDeadline(lateInTheDay, EU).dueOn.toISODate(), '2026-04-10')
  })

  test('an extension of two more months runs from receipt, with the same rules', ({ assert }) => {
    // 31 Jan + 3 months = 30 Apr (Thu)
    assert.equal(
      dsrDeadline('2026-01-31', EU, { extensionMonths: 2 }).dueOn.toISODate(),
      '2026-04-30'
    )
    // 10 Mar + 3 months = 10 Jun (Wed)
    assert.equal(
      dsrDeadline('2026-03-10', EG, { extensionMonths: 2 }).dueOn.toISODate(),
      '2026-06-10'
    )
    // 1 Feb + 3 months = 1 May, a holiday on a Friday: EG weekend → Sun 3 May
    assert.equal(
      dsrDeadline('2026-02-01', EG, { extensionMonths: 2 }).dueOn.toISODate(),
      '2026-05-03'
    )
    assert.throws(() => dsrDeadline('2026-02-01', EG, { extensionMonths: 3 }), /one or two months/)
  })
})

test.group('dsr / deadlines: the internal target', () => {
  test('is a configurable number of working days before the deadline', ({ assert }) => {
    const { dueOn, internalDueOn } = dsrDeadline('2026-03-10', EU, { internalMarginWorkingDays: 5 })
    assert.equal(dueOn.toISODate(), '2026-04-10')
    // 5 working days back from Fri 10 Apr, over Easter Monday (6 Apr): 9, 8, 7, 3, 2 Apr
    assert.equal(internalDueOn.toISODate(), '2026-04-02')
    assert.isBelow(internalDueOn.toMillis(), dueOn.toMillis())
    assert.equal(
      dsrDeadline('2026-03-10', EU, { internalMarginWorkingDays: 10 }).internalDueOn.toISODate(),
      '2026-03-26'
    )
  })

  test('never falls before the first working day after receipt', ({ assert }) => {
    assert.equal(
      internalTarget('2026-03-10', '2026-04-10', EU, { internalMarginWorkingDays: 60 }).toISODate(),
      '2026-03-11'
    )
  })
})

test.group('dsr / deadlines: working days', () => {
  test('the weekend depends on the jurisdiction', ({ assert }) => {
    // Thu 2026-03-12
    assert.equal(nextWorkingDay('2026-03-13', EG).toISODate(), '2026-03-15', 'Fri → Sun in Egypt')
    assert.equal(nextWorkingDay('2026-03-13', EU).toISODate(), '2026-03-13', 'Fri works in the EU')
    assert.equal(nextWorkingDay('2026-03-14', EU).toISODate(), '2026-03-16', 'Sat → Mon in the EU')
    assert.equal(nextWorkingDay('2026-03-15', EG).toISODate(), '2026-03-15', 'Sun works in Egypt')
  })

  test('PDPL six working days skip the Egyptian weekend and holidays', ({ assert }) => {
    // Wed 22 Apr + 6: Thu 23, Sun 26 (25 Apr holiday is a Sat anyway), Mon 27, Tue 28, Wed 29, Thu 30
    assert.equal(addWorkingDays('2026-04-22', 6, EG).toISODate(), '2026-04-30')
    // Tue 28 Apr + 6: Wed 29, Thu 30, (Fri 1 May holiday+weekend, Sat) Sun 3, Mon 4, Tue 5, Wed 6
    assert.equal(addWorkingDays('2026-04-28', 6, EG).toISODate(), '2026-05-06')
    // starting on a weekend day counts from the next working day
    assert.equal(addWorkingDays('2026-05-02', 1, EG).toISODate(), '2026-05-03')
    assert.equal(addWorkingDays('2026-05-02', 0, EG).toISODate(), '2026-05-02')
    assert.equal(addWorkingDays('2026-04-10', -5, EU).toISODate(), '2026-04-02')
  })

  test('e-Evidence: ten days and eight hours', ({ assert }) => {
    const served = DateTime.fromISO('2026-05-01T22:00:00Z')
    assert.equal(addHours(served, 8).toISO(), DateTime.fromISO('2026-05-02T06:00:00Z').toISO())
    assert.equal(workingDaysBetween('2026-04-28', '2026-05-06', EG), 6)
    assert.equal(workingDaysBetween('2026-05-06', '2026-04-28', EG), -6)
  })

  test('a deadline day ends at midnight in the jurisdiction, stated in UTC', ({ assert }) => {
    // Cairo is UTC+2 until summer time begins on the last Friday of April
    assert.equal(endOfDay('2026-04-10', EG).toISO(), '2026-04-10T21:59:59.999Z')
    assert.equal(endOfDay('2026-07-10', EG).toISO(), '2026-07-10T20:59:59.999Z')
    assert.equal(endOfDay('2026-01-10', EU).toISO(), '2026-01-10T22:59:59.999Z')
  })

  test('Egyptian merchants run on the Egyptian calendar, everyone else on the EU one', ({
    assert,
  }) => {
    assert.equal(jurisdictionOf('EG'), 'EG')
    assert.equal(jurisdictionOf('eg'), 'EG')
    assert.equal(jurisdictionOf('DE'), 'EU')
    assert.equal(jurisdictionOf(null), 'EU')
  })

  test('the configured calendars name the weekends the law uses', async ({ assert }) => {
    const { calendarFor } = await import('#dsr/services/deadlines')
    assert.deepEqual([...calendarFor('EG').weekend], [5, 6])
    assert.deepEqual([...calendarFor('EU').weekend], [6, 7])
    assert.isFalse(calendarFor('EG').isWorkingDay(DateTime.fromISO('2026-10-06')))
  })
})
