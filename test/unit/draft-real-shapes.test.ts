/**
 * The corpus of real-shaped stacks (test/corpus/real-shapes, each with a corpus.json saying
 * what an experienced owner would choose): every stack's draft validates, neither cuts nor
 * widens anyone's internet, and probes only ports the images really serve over TCP. Where the
 * draft's tier differs from the owner's, the difference is pinned below rather than the
 * catalog bent to it, so a change in either shows here.
 */
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {parseEnvFile} from '../../source/compose/envfile.js';
import {loadComposeProject, type ComposeModel} from '../../source/compose/project.js';
import {draftTieredPlan} from '../../source/plan/draft.js';
import {parsePlan} from '../../source/plan/load.js';
import {reachWarnings} from '../../source/plan/reach.js';
import type {Plan} from '../../source/plan/schema.js';
import {validatePlan} from '../../source/plan/validate.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), '../corpus/real-shapes');

type Listen = {port: number; proto: string; http: boolean};
type CorpusService = {image: string; listens: Listen[]; tier: string; egress: boolean; namespaceOf?: string; namespaceContainer?: string};
type CorpusStack = {
	pattern?: string[];
	composeArgs: string[];
	environment?: Record<string, string>;
	project: string;
	legacy: string;
	services: Record<string, CorpusService>;
};

function loadStack(name: string): {stack: CorpusStack; project: ComposeModel; files: string[]} {
	const root = path.join(corpus, name);
	const stack = JSON.parse(readFileSync(path.join(root, 'corpus.json'), 'utf8')) as CorpusStack;
	const files: string[] = [];
	const environment: Record<string, string> = {...stack.environment};
	for (let index = 0; index < stack.composeArgs.length; index += 2) {
		const [flag, value] = [stack.composeArgs[index], stack.composeArgs[index + 1] as string];
		if (flag === '-f') files.push(value);
		if (flag === '--env-file')
			for (const entry of parseEnvFile(path.join(root, value), readFileSync(path.join(root, value), 'utf8')).entries.values())
				environment[entry.key] ??= entry.value ?? '';
	}
	// No -f: compose's own discovery, the override file included.
	const project = loadComposeProject(root, files, {environment, projectName: stack.project});
	return {stack, project, files: project.rootFiles};
}

/** The tier the draft gives a service: its first new network's, `not-movable` for a namespace follower or a host/none/container: service, else `unassigned`. */
function draftedTier(plan: Plan, project: ComposeModel, name: string): string {
	const service = project.services.get(name);
	if (!service) return 'not in the project';
	if (service.namespaceOf || service.namespaceContainer || service.networkModeOther) return 'not-movable';
	return plan.iterations[0]?.attach[name]?.[0]?.replace(/-net$/, '') ?? 'unassigned';
}

const stacks = readdirSync(corpus).filter((name) => existsSync(path.join(corpus, name, 'corpus.json')));

/** Stacks the compose model cannot load yet (source/compose's work, not the draft's). */
const notLoadable: Record<string, RegExp> = {};

/**
 * Where the draft and the owner differ. `unassigned`: the image is not in the catalog (or a
 * database whose only user is not), so the service stays on the legacy network, listed.
 */
const differences: Record<string, Record<string, string>> = {
	// nextcloud's cron sidecar runs nextcloud's own image (entrypoint /cron.sh): matched by image, it goes where the app goes.
	'05-override-file': {cron: 'frontend, owner backend'},
	// tautulli beside plex; plex-auto-languages follows plex to frontend.
	'03-include-hostname': {tautulli: 'frontend, owner backend', 'plex-auto-languages': 'frontend, owner backend'},
	// authentik's database and cache, only on an internal network and used only by authentik: left where they are.
	'17-include-internal': {postgresql: 'unassigned, owner backend', redis: 'unassigned, owner backend'},
	// tautulli: its UI is user-facing (frontend, beside plex); this owner keeps it with the backend helpers.
	'15-full-vpn-single-yaml': {tautulli: 'frontend, owner backend'},
};

for (const name of stacks) {
	test(`real shape ${name}: the draft validates, keeps everyone's internet, probes real TCP ports, and places each service as pinned`, (context) => {
		let loaded: ReturnType<typeof loadStack>;
		try {
			loaded = loadStack(name);
		} catch (error) {
			assert.match((error as Error).message, notLoadable[name] ?? /^$/, `${name} should load`);
			context.skip(`the compose model cannot load it yet: ${(error as Error).message}`);
			return;
		}
		assert.equal(notLoadable[name], undefined, `${name} loads now: drop it from notLoadable`);
		const {stack, project, files} = loaded;
		const draft = draftTieredPlan({project, legacy: stack.legacy, usedSubnets: [], composeFiles: files, stackRoot: '.'});
		const {plan, locate} = parsePlan(path.join(project.root, 'drafted.yml'), draft.text);
		assert.deepEqual(validatePlan(plan, project, locate), []);
		const warnings = reachWarnings(plan, project, locate).map((problem) => problem.message);
		const losesIPv6 = /^after iteration \d+ \(\S+\), (\S+) is on no network with IPv6 /;
		assert.deepEqual(
			warnings.filter((message) => !losesIPv6.test(message)),
			[],
		);
		// The draft's networks are IPv4: leaving a dual-stack legacy network costs its members IPv6, said for each.
		assert.deepEqual(
			warnings.map((message) => losesIPv6.exec(message)?.[1]).filter(Boolean),
			stack.pattern?.includes('dual-stack-network') ? Object.keys(stack.services) : [],
		);
		for (const check of plan.iterations.flatMap((iteration) => iteration.checks)) {
			const [target, port] = check.to.split(':') as [string, string];
			const facts = stack.services[target] as CorpusService & {publishesForOthers?: Listen[]};
			const serves = [...facts.listens, ...(facts.publishesForOthers ?? [])]
				.filter((listen) => listen.proto === 'tcp')
				.map((listen) => listen.port);
			assert.ok(serves.includes(Number(port)), `${check.from} → ${check.to}: ${target} serves ${serves.join(', ') || 'no TCP port'}`);
		}
		const found: Record<string, string> = {};
		for (const [service, facts] of Object.entries(stack.services)) {
			// A service of an inactive profile is not part of the running stack; the draft leaves it alone.
			if (project.services.get(service)?.active === false) continue;
			const tier = draftedTier(plan, project, service);
			if (tier !== facts.tier) found[service] = `${tier}, owner ${facts.tier}`;
		}
		assert.deepEqual(found, differences[name] ?? {});
	});
}
