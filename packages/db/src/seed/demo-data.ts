import type { Db } from '../client.ts';
import type { StoredStep } from '../schema/domain.ts';
import { SEED_IDS } from './constants.ts';

// The demo sales data behind every tool: deterministic (a seeded PRNG and ids derived from each
// row's position) so docs and tests can name rows, and idempotent (`on conflict do nothing`).

interface Size {
  companies: number;
  contacts: number;
  lists: number;
  campaigns: number;
  threads: number;
}

const SIZES: Record<'acme' | 'globex', Size> = {
  acme: { companies: 48, contacts: 480, lists: 6, campaigns: 5, threads: 72 },
  globex: { companies: 8, contacts: 60, lists: 2, campaigns: 2, threads: 10 },
};

const FIRST = [
  'Ana',
  'Ben',
  'Carla',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Irene',
  'Jonas',
  'Kira',
  'Luis',
  'Marta',
  'Nadia',
  'Oscar',
  'Pau',
  'Quinn',
  'Rosa',
  'Sam',
  'Teresa',
  'Umar',
  'Vera',
  'Will',
  'Xenia',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'García',
  'Smith',
  'Müller',
  'Rossi',
  'Dubois',
  'Silva',
  'Novak',
  'Jensen',
  'Kowalski',
  'Martín',
  'Brown',
  'Costa',
  'Weber',
  'Ferrer',
  'Olsen',
  'Ivanova',
  'Moreau',
  'Sato',
  'Khan',
  'Lopez',
];
const TITLES = [
  'Head of Sales',
  'VP Marketing',
  'CTO',
  'Sales Development Representative',
  'Account Executive',
  'CEO',
  'Growth Lead',
  'RevOps Manager',
  'Founder',
  'Head of Partnerships',
];
const WORDS = [
  'Nimbus',
  'Vertex',
  'Lumen',
  'Quanta',
  'Harbor',
  'Atlas',
  'Cobalt',
  'Orbit',
  'Pinnacle',
  'Kestrel',
  'Juniper',
  'Beacon',
  'Summit',
  'Mosaic',
  'Helix',
  'Aurora',
];
const SUFFIX = ['Labs', 'Systems', 'Analytics', 'Cloud', 'Logistics', 'Health', 'Capital', 'Robotics'];
const INDUSTRIES = ['Software', 'Logistics', 'Healthcare', 'Fintech', 'Retail', 'Manufacturing', 'Energy', 'Education'];
const COUNTRIES = ['ES', 'US', 'DE', 'FR', 'GB', 'IT', 'NL', 'PT'];
const LIST_NAMES = [
  'Q3 Outbound',
  'Conference Leads',
  'Enterprise Accounts',
  'Warm Intros',
  'Churned Customers',
  'Fintech Founders',
];
const CAMPAIGN_NAMES = ['Spring Outbound', 'Webinar Follow-up', 'Enterprise ABM', 'Reactivation', 'Founder Intro'];
const STATUSES = ['ACTIVE', 'DRAFT', 'PAUSED', 'FINISHED', 'ACTIVE'] as const;
const OPENERS = [
  'Thanks for reaching out!',
  'Could you send more details?',
  'Not the right time, maybe next quarter.',
  'Happy to chat next week.',
  'Who else is on your team?',
];
const TAGS = [
  { id: 'interested', name: 'Interested', color: '#16a34a' },
  { id: 'follow-up', name: 'Follow up', color: '#f59e0b' },
  { id: 'not-now', name: 'Not now', color: '#64748b' },
];

/** mulberry32: a tiny seeded PRNG, so the same seed always yields the same workspace. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
  };
}

/** A fixed v4-shaped uuid per (workspace, kind, index): `0d<ws>00<kind>-...-<index>`. */
export function demoId(workspace: 'acme' | 'globex', kind: number, index: number): string {
  const ws = workspace === 'acme' ? '1' : '2';
  return `0d${ws}00${kind.toString(16).padStart(3, '0')}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

const KIND = {
  owner: 1,
  identity: 2,
  company: 3,
  contact: 4,
  list: 5,
  campaign: 6,
  conversation: 7,
  message: 8,
} as const;

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

/** Seeds the demo data of both seeded workspaces; runs inside the seed transaction. */
export async function seedDemoData(db: Db): Promise<void> {
  for (const workspace of ['acme', 'globex'] as const) await seedWorkspaceData(db, workspace);
}

async function seedWorkspaceData(db: Db, workspace: 'acme' | 'globex'): Promise<void> {
  const size = SIZES[workspace];
  const workspaceId = SEED_IDS[workspace];
  const rand = prng(workspace === 'acme' ? 1 : 2);
  const id = (kind: keyof typeof KIND, index: number) => demoId(workspace, KIND[kind], index);
  const base = Date.UTC(2026, 0, 5);
  const day = 86_400_000;

  const owners = ['Laura Vidal', 'Marc Soler', 'Priya Nair', 'Tom Becker'].map((name, i) => ({
    id: id('owner', i),
    workspace_id: workspaceId,
    name,
    email: `${slug(name.split(' ')[0] as string)}@${workspace}.example`,
    created_at: new Date(base),
  }));
  const identities = ['Sales Team', 'Laura Vidal', 'Marc Soler'].map((name, i) => ({
    id: id('identity', i),
    workspace_id: workspaceId,
    name,
    email: `${slug(name)}@${workspace}.example`,
    linkedin_profile_url: i === 0 ? null : `https://www.linkedin.com/in/${slug(name)}-${workspace}`,
    channels: i === 0 ? ['EMAIL'] : ['EMAIL', 'LINKEDIN'],
    created_at: new Date(base),
  }));

  const companies = Array.from({ length: size.companies }, (_, i) => {
    const name = `${WORDS[i % WORDS.length]} ${SUFFIX[Math.floor(i / WORDS.length) % SUFFIX.length]}`;
    return {
      id: id('company', i),
      workspace_id: workspaceId,
      name,
      domain: `${slug(name)}.example`,
      company_linkedin_url: `https://www.linkedin.com/company/${slug(name)}`,
      industry: rand.pick(INDUSTRIES),
      employee_count: 10 + rand.int(5000),
      country: rand.pick(COUNTRIES),
      created_at: new Date(base + i * day),
      updated_at: new Date(base + i * day),
    };
  });

  const statuses = ['UNVERIFIED', 'UNVERIFIED', 'VALID', 'VALID', 'INVALID', 'RISKY'] as const;
  const contacts = Array.from({ length: size.contacts }, (_, i) => {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
    const company = companies[rand.int(companies.length)]!;
    const handle = `${slug(first)}.${slug(last)}${i >= FIRST.length * LAST.length ? i : ''}`;
    const createdAt = new Date(base + Math.floor((i * 120 * day) / size.contacts) + rand.int(day));
    return {
      id: id('contact', i),
      workspace_id: workspaceId,
      company_id: company.id,
      owner_id: rand.next() < 0.7 ? rand.pick(owners).id : null,
      first_name: first,
      last_name: last,
      job_title: rand.pick(TITLES),
      linkedin_profile_url: `https://www.linkedin.com/in/${handle.replace('.', '-')}`,
      linkedin_headline: `${rand.pick(TITLES)} at ${company.name}`,
      professional_email: `${handle}@${company.domain}`,
      personal_emails: rand.next() < 0.3 ? [`${handle}@gmail.example`] : [],
      mobile_phone: rand.next() < 0.5 ? `+34 6${String(10_000_000 + rand.int(89_999_999))}` : null,
      phones: [],
      email_verification_status: rand.pick(statuses),
      contact_country: company.country,
      is_in_crm: rand.next() < 0.4,
      created_at: createdAt,
      updated_at: createdAt,
    };
  });

  const lists = LIST_NAMES.slice(0, size.lists).map((name, i) => ({
    id: id('list', i),
    workspace_id: workspaceId,
    name,
    created_at: new Date(base + (30 + i) * day),
  }));
  const members = lists.flatMap((list, l) =>
    contacts
      .filter((_, c) => (c + l) % (3 + l) === 0)
      .map((contact) => ({ list_id: list.id, contact_id: contact.id, added_at: list.created_at })),
  );

  const campaigns = CAMPAIGN_NAMES.slice(0, size.campaigns).map((name, i) => ({
    id: id('campaign', i),
    workspace_id: workspaceId,
    name,
    status: STATUSES[i] as (typeof STATUSES)[number],
    sender_identity_id: identities[i % identities.length]!.id,
    steps: JSON.stringify(demoSteps(name)),
    created_at: new Date(base + (40 + i * 7) * day),
    updated_at: new Date(base + (40 + i * 7) * day),
  }));
  const enrolments = campaigns
    .filter((campaign) => campaign.status !== 'DRAFT')
    .flatMap((campaign, c) =>
      contacts
        .filter((_, i) => (i + c) % 7 === 0)
        .map((contact) => ({
          campaign_id: campaign.id,
          contact_id: contact.id,
          current_step: rand.int(3),
          enrolled_at: campaign.created_at,
        })),
    );

  const conversations = Array.from({ length: size.threads }, (_, i) => {
    const identity = identities[i % identities.length]!;
    const channel = identity.channels.includes('LINKEDIN') && i % 2 === 1 ? 'LINKEDIN' : 'EMAIL';
    return {
      id: id('conversation', i),
      workspace_id: workspaceId,
      contact_id: contacts[(i * 5) % contacts.length]!.id,
      sender_identity_id: identity.id,
      channel: channel as 'EMAIL' | 'LINKEDIN',
      archived: i % 11 === 10,
      unread_count: i % 4 === 0 ? 1 + rand.int(3) : 0,
      summary: null as string | null,
      tags: JSON.stringify(i % 3 === 0 ? [TAGS[i % TAGS.length]] : []),
      last_activity_at: new Date(0),
    };
  });
  let messageIndex = 0;
  const messages = conversations.flatMap((conversation, i) => {
    const count = 2 + rand.int(4);
    const start = base + 130 * day + i * 3 * 3_600_000;
    const thread = Array.from({ length: count }, (_, m) => {
      const fromContact = m % 2 === 1;
      return {
        id: id('message', messageIndex++),
        workspace_id: workspaceId,
        conversation_id: conversation.id,
        sender_identity_id: conversation.sender_identity_id,
        type: conversation.channel,
        subject: conversation.channel === 'EMAIL' ? (m === 0 ? 'Quick question' : 'Re: Quick question') : null,
        content: fromContact
          ? rand.pick(OPENERS)
          : m === 0
            ? 'Hi! I noticed your team is growing. Open to a quick call?'
            : 'Great, here is a link to book a slot.',
        is_contact_sender: fromContact,
        is_autosent: m === 0,
        created_at: new Date(start + m * 5_400_000),
      };
    });
    const lastMessage = thread[thread.length - 1]!;
    conversation.last_activity_at = lastMessage.created_at;
    conversation.summary = `${count} messages; last: ${lastMessage.content.slice(0, 60)}`;
    return thread;
  });

  // Parents before children; each batch is one statement, so the whole seed stays well under a second.
  await db
    .insertInto('crm_owners')
    .values(owners)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await db
    .insertInto('sender_identities')
    .values(identities)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await db
    .insertInto('companies')
    .values(companies)
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('contacts')
    .values(contacts)
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('lists')
    .values(lists)
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('list_members')
    .values(members)
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('campaigns')
    .values(campaigns)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  if (enrolments.length > 0)
    await db
      .insertInto('campaign_enrolments')
      .values(enrolments)
      .onConflict((oc) => oc.doNothing())
      .execute();
  await db
    .insertInto('conversations')
    .values(conversations)
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('messages')
    .values(messages)
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('workspace_credits')
    .values({
      workspace_id: workspaceId,
      balance: workspace === 'acme' ? 4_250 : 300,
      monthly_plan_credits: workspace === 'acme' ? 5_000 : 500,
      monthly_addon_credits: workspace === 'acme' ? 1_000 : 0,
      next_renewal_date: '2026-12-01',
    })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
}

/** A realistic sequence: email, wait for a reply (condition), LinkedIn on one branch, then end. */
function demoSteps(name: string): StoredStep[] {
  return [
    {
      type: 'email',
      delayDays: 0,
      subject: `${name}: quick question`,
      body: 'Hi {{firstName}}, are you the right person to talk to about outreach at {{companyName}}?',
    },
    {
      type: 'condition',
      delayDays: 3,
      condition: 'replied',
      onTrue: [{ type: 'task', delayDays: 0, title: 'Book a call' }],
      onFalse: [
        { type: 'linkedin_connection', delayDays: 1, note: 'Hi {{firstName}}, glad to connect.' },
        { type: 'email', delayDays: 4, subject: `Re: ${name}`, body: 'Following up on my last note.' },
      ],
    },
    { type: 'end' },
  ];
}
