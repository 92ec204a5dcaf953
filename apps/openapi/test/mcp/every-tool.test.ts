// Every tool in tools/list, called once with valid input through the MCP endpoint, against the
// seeded workspace. A new operation without a case here fails the coverage assertion at the end.
import { SEED_IDS } from '@enginy/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';

let h: Harness;
let token: string;
const called = new Set<string>();

beforeAll(async () => {
  h = await startHarness();
  await h.t.db
    .updateTable('workspace_mcp_settings')
    .set({ policy_scopes: ['ALL'] })
    .where('workspace_id', '=', SEED_IDS.acme)
    .execute();
  token = (await mintAccessToken(h.t.db, h.config, { scopes: ['ALL'] })).token;
});
afterAll(() => h.close());

async function tool(name: string, args: Record<string, unknown> = {}) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
    payload: JSON.stringify(rpc('tools/call', { name, arguments: args })),
  });
  const result = response.json().result;
  expect(result.isError, `${name}: ${result.content?.[0]?.text}`).toBeUndefined();
  called.add(name);
  // biome-ignore lint/suspicious/noExplicitAny: each call below checks the fields it uses
  return result.structuredContent as { data: any; meta?: { total: number } };
}

describe('every generated tool', () => {
  it('runs with valid input and returns data', async () => {
    expect((await tool('mcp_whoami')) as unknown).toMatchObject({ workspace: { slug: 'acme' } });
    expect((await tool('get_credits')).data.balance).toEqual(expect.any(Number));

    const contacts = await tool('search_contacts', { body: { page: 1, pageSize: 3, filters: { search: 'a' } } });
    const contactIds = contacts.data.map((c: { id: string }) => c.id);
    expect(contactIds.length).toBe(3);
    expect((await tool('get_contact', { pathParams: { contactId: contactIds[0] } })).data.id).toBe(contactIds[0]);
    const created = await tool('create_contact', {
      body: { firstName: 'Grace', lastName: 'Hopper', jobTitle: 'Rear Admiral' },
    });
    expect(
      (
        await tool('update_contact', {
          pathParams: { contactId: created.data.id },
          body: { jobTitle: 'Computer scientist' },
        })
      ).data.jobTitle,
    ).toBe('Computer scientist');

    const companies = await tool('search_companies', { body: { page: 1, pageSize: 2 } });
    expect((await tool('get_company', { pathParams: { companyId: companies.data[0].id } })).data.id).toBe(
      companies.data[0].id,
    );
    expect(
      (await tool('create_company', { body: { name: 'Analytical Engines', domain: 'analytical-engines.test' } })).data
        .name,
    ).toBe('Analytical Engines');

    expect((await tool('list_lists', { query: { page: 1 } })).meta?.total).toBeGreaterThan(0);
    const list = await tool('create_list', { body: { name: 'MCP tool test list' } });
    expect(
      (await tool('add_contacts_to_list', { pathParams: { listId: list.data.id }, body: { contactIds } })).data
        .memberCount,
    ).toBe(3);
    expect(
      (
        await tool('remove_contacts_from_list', {
          pathParams: { listId: list.data.id },
          body: { contactIds: [contactIds[0]] },
        })
      ).data.memberCount,
    ).toBe(2);

    const identities = await tool('list_sender_identities');
    const senderIdentityId = identities.data[0].id;
    expect((await tool('list_crm_owners')).data.length).toBeGreaterThan(0);

    expect((await tool('list_campaigns', {})).meta?.total).toBeGreaterThan(0);
    const campaign = await tool('create_campaign_draft', {
      body: {
        name: 'MCP tool test campaign',
        senderIdentityId,
        steps: [{ type: 'email', subject: 'Hi {{firstName}}', body: 'Hello' }, { type: 'end' }],
      },
    });
    expect((await tool('get_campaign', { pathParams: { campaignId: campaign.data.id } })).data.status).toBe('DRAFT');
    await tool('enrol_contacts_in_campaign', { pathParams: { campaignId: campaign.data.id }, body: { contactIds } });
    expect(
      (
        await tool('change_campaign_status', {
          pathParams: { campaignId: campaign.data.id },
          body: { status: 'ACTIVE' },
        })
      ).data.status,
    ).toBe('ACTIVE');

    const threads = await tool('list_inbox_threads', { query: { pageSize: 5 } });
    const threadContact = threads.data[0].contactId;
    expect(
      (await tool('get_inbox_contact_messages', { pathParams: { contactId: threadContact } })).data.length,
    ).toBeGreaterThan(0);
    const sent = await tool('send_inbox_message', {
      body: {
        contactId: threadContact,
        senderIdentityId,
        type: 'EMAIL',
        subject: 'Hello',
        message: 'Sent by an MCP tool',
        requestId: 'mcp-every-tool-1',
      },
    });
    expect(sent.data).toBeDefined();

    const action = await tool('start_action', { body: { type: 'VERIFY_LEAD_EMAIL', contactIds: [contactIds[0]] } });
    const actionsId = action.data.actionsId ?? action.data.id;
    expect((await tool('get_action_status', { pathParams: { actionsId } })).data).toBeDefined();
    // Until the background action has verified the email: done later, it would change the contact
    // between the two reads of the next test (seen once, under load).
    const deadline = Date.now() + 15_000;
    while ((await tool('get_action_status', { pathParams: { actionsId } })).data.status !== 'COMPLETED') {
      if (Date.now() > deadline) throw new Error(`The action ${actionsId} never completed`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  // The tool runs the operation's handler, not its route: its answer must still be the route's, byte for byte.
  it("answers with the REST route's own text, byte for byte, its refusals included", async () => {
    const key = await h.key(['ALL']);
    const cases: [string, Record<string, unknown>, string, string, unknown?][] = [
      ['get_credits', {}, 'GET', '/v1/credits'],
      [
        'list_campaigns',
        { query: { pageSize: '2', status: 'ACTIVE' } },
        'GET',
        '/v1/campaigns?pageSize=2&status=ACTIVE',
      ],
      [
        'search_contacts',
        { body: { pageSize: 2, filters: { search: 'a' } } },
        'POST',
        '/v1/contacts/search',
        { pageSize: 2, filters: { search: 'a' } },
      ],
      ['get_contact', { pathParams: { contactId: 'nope' } }, 'GET', '/v1/contacts/nope'],
      ['get_contact', { pathParams: { contactId: SEED_IDS.admin } }, 'GET', `/v1/contacts/${SEED_IDS.admin}`],
      ['create_list', { body: { name: '' } }, 'POST', '/v1/lists', { name: '' }],
    ];
    for (const [name, args, method, url, body] of cases) {
      const rest = await h.call(method as 'GET', url, { key, ...(body === undefined ? {} : { body }) });
      const response = await h.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
        payload: JSON.stringify(rpc('tools/call', { name, arguments: args })),
      });
      const { result } = response.json();
      if (rest.statusCode < 400) {
        expect(result.content[0].text, name).toBe(rest.body);
        expect(result.isError).toBeUndefined();
      } else {
        expect(result.content[0].text, name).toBe(`${rest.json().message} (HTTP ${rest.statusCode})`);
        expect(JSON.stringify(result.structuredContent)).toBe(rest.body);
        expect(result.isError).toBe(true);
      }
    }
  });

  it('covered the whole tools/list', () => {
    const all = ['mcp_whoami', ...h.app.mcpTools().map((t) => t.name)];
    expect(all.filter((name) => !called.has(name))).toEqual([]);
  });
});
