import type { EmailVerificationStatus } from '@enginy/db/queries/domain/contacts';

// Mailbox providers whose addresses are personal rather than professional: deliverable, but risky
// for B2B outreach.
const PERSONAL_DOMAINS = new Set(['gmail.com', 'gmail.example', 'yahoo.com', 'hotmail.com', 'outlook.com']);
const SHAPE = /^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * The verdict for one address. Offline stand-in for Enginy's verifier (no SMTP probing from a
 * laptop): malformed or missing → INVALID, personal mailbox or role account → RISKY, else VALID.
 */
export function verifyEmail(email: string | null): EmailVerificationStatus {
  if (email === null || !SHAPE.test(email)) return 'INVALID';
  const [local = '', domain = ''] = email.toLowerCase().split('@');
  if (PERSONAL_DOMAINS.has(domain) || ['info', 'sales', 'contact', 'hello', 'admin'].includes(local)) return 'RISKY';
  return 'VALID';
}
