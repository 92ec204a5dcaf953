import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { NotFound } from '../errors/classes.ts';
import { REGISTER_PATHS } from '../oauth/register/endpoint.ts';
import { ownRouteOf } from './issuer-moved.ts';

export const NO_DCR_MESSAGE =
  'Dynamic client registration is switched off on this server (failure lab: no-dcr): use a client ID metadata document or a pre-registered client';

/** Failure lab `no-dcr`: whether the metadata leaves out registration_endpoint. */
export function registrationSwitchedOff(lab: readonly LabSwitchRow[]): boolean {
  return labSwitchInForce(lab, 'no-dcr') !== undefined;
}

const registerPaths: readonly string[] = REGISTER_PATHS;

/**
 * Failure lab `no-dcr`: /register (and /oauth/register, and so the OpenAPI origin's aliases, which
 * forward here) answers 404 while it is on, as at an authorization server without RFC 7591
 * registration. Only those routes consult the lab; every other request passes untouched.
 */
const noDcr: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', async (request) => {
    // The failure lab's moved issuer (issuer-moved) has its own /register: switched off alike.
    if (!registerPaths.includes(ownRouteOf(request.routeOptions.url ?? ''))) return;
    if (registrationSwitchedOff(await request.labSwitches())) throw new NotFound(NO_DCR_MESSAGE);
  });
};

export default fp(noDcr, { name: 'failure-lab-no-dcr', fastify: '5.x', dependencies: ['failure-lab'] });
