/*
 * Chromium driven by playwright-core, against the test HTTP server that the browser suite starts
 * in this process. The browser comes from npm (@sparticuz/chromium), so a fresh machine needs
 * nothing from apt; CHROMIUM_PATH points at another build when one is wanted.
 */
import { chromium, type Browser, type Page } from 'playwright-core'
import sparticuz from '@sparticuz/chromium'
import { authenticator } from 'otplib'
import env from '#start/env'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function baseUrl() {
  return `http://${env.get('HOST')}:${env.get('PORT')}`
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || (await sparticuz.executablePath())
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS })
}

/** A fresh context (own cookies) whose relative URLs resolve against the test server. */
export async function newPage(browser: Browser) {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: 1280, height: 900 },
  })
  return context.newPage()
}

/** Signs in through the real login and MFA pages, typing a current TOTP code for `secret`. */
export async function signInWithMfa(page: Page, email: string, password: string, secret: string) {
  await page.goto('/login')
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password').fill(password)
  await Promise.all([
    page.waitForURL('**/mfa'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ])
  await page.getByLabel('Code').fill(authenticator.generate(secret))
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/'),
    page.getByRole('button', { name: 'Verify' }).click(),
  ])
}
