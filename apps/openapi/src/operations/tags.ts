/**
 * The groups of operations, in the order /docs shows them. Every operation names one (its `tag`),
 * and the document lists them all with these descriptions (OpenAPI `tags`).
 */
export const TAGS = {
  Contacts: 'People in the workspace: search with filters, read, create and update.',
  Companies: 'Companies the contacts work at: search, read and create.',
  Lists: 'Named contact lists and their members.',
  Campaigns: 'Outreach sequences (email, LinkedIn, tasks, conditions): drafts, status changes and enrolment.',
  Inbox: 'Conversations with contacts across sender identities and channels, and sending messages.',
  Workspace: 'The workspace itself: credits, sender identities and CRM owners.',
  Actions: 'Background actions on contacts, such as verifying their emails, and their progress.',
} as const;

export type Tag = keyof typeof TAGS;
