/**
 * Allow-lists on a swarm (examples/swarm-stack): the stack file's value and the running service's
 * spec get the same new value — the spec by an env update that keeps every other entry where it
 * was — the dry run says so in one line, and a running value that is not the file's (changed by
 * hand with `docker service update --env-add`) is said in the plan and refused by preflight.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import type {Action, SwarmEnv} from '../../source/actions.js';
import {reloadComposeProject, type ComposeModel} from '../../source/compose/project.js';
import {envValue, withEnvValue, type Discovered, type SwarmService} from '../../source/domain.js';
import {renderDryRun} from '../../source/plan/dryrun.js';
import {loadPlan} from '../../source/plan/load.js';
import type {Iteration, Plan} from '../../source/plan/schema.js';
import {simulate} from '../../source/plan/simulate.js';
import {swarmAllowListProblems} from '../../source/plan/swarm-allowlists.js';
import {planIteration} from '../../steps/index.js';
import {repoRoot} from '../harness/engine.js';

const swarmStack = path.join(repoRoot, 'examples/swarm-stack');

/** The stack as `docker stack deploy` of examples/swarm-stack leaves it; `jellyfinProxies`: its running TRUSTED_PROXIES (null: not set). */
function deployed(jellyfinProxies: string | null = '10.231.0.0/24'): Discovered {
	const service = (short: string, env: string[], mounts = 0): [string, SwarmService] => [
		short,
		{
			id: short,
			name: `media_${short}`,
			version: 12,
			networks: [{network: 'media-overlay', aliases: [short]}],
			env,
			replicas: 1,
			mounts,
		},
	];
	const jellyfin = [
		'TZ=Europe/Berlin',
		...(jellyfinProxies === null ? [] : [`TRUSTED_PROXIES=${jellyfinProxies}`]),
		'JELLYFIN_PublishedServerUrl=https://media.example.org',
	];
	return {
		source: 'engine',
		apiVersion: '1.45',
		networks: new Map([
			['media-overlay', {name: 'media-overlay', subnet: '10.231.0.0/24', internal: false, driver: 'overlay', labels: {}}],
		]),
		containers: new Map(),
		swarm: new Map([
			service('traefik', ['TZ=Europe/Berlin']),
			service('jellyfin', jellyfin),
			service('jellyseerr', ['TZ=Europe/Berlin']),
			service('sonarr', ['TZ=Europe/Berlin']),
			service('prometheus', ['TZ=Europe/Berlin'], 1),
			service('grafana', ['GF_SECURITY_ADMIN_PASSWORD=changeme', 'TZ=Europe/Berlin']),
		]),
	};
}

/** What preflight finds of the iteration's allow-lists, against the running services of `discovered`. */
function preflightProblems(project: ComposeModel, plan: Plan, discovered: Discovered) {
	return swarmAllowListProblems(project, plan.iterations[0] as Iteration, discovered.swarm ?? new Map());
}

function planFrom(discovered: Discovered) {
	const loaded = loadPlan(path.join(swarmStack, 'netmigrate.yml'));
	const planned = planIteration(loaded.plan, 0, loaded.project, discovered);
	const firewall = planned.steps.find((step) => step.name === 'firewall')?.actions ?? [];
	return {loaded, planned, firewall};
}

test('an env entry is replaced where it is, appended when missing, removed without touching the others', () => {
	const env = ['TZ=Europe/Berlin', 'TRUSTED_PROXIES=10.231.0.0/24', 'URL=https://a.example?x=1'];
	assert.deepEqual(withEnvValue(env, 'TRUSTED_PROXIES', '10.231.0.0/24,10.231.11.0/24'), [
		'TZ=Europe/Berlin',
		'TRUSTED_PROXIES=10.231.0.0/24,10.231.11.0/24',
		'URL=https://a.example?x=1',
	]);
	assert.deepEqual(withEnvValue(env, 'NEW', 'x=y'), [...env, 'NEW=x=y']);
	assert.deepEqual(withEnvValue(env, 'TRUSTED_PROXIES', undefined), ['TZ=Europe/Berlin', 'URL=https://a.example?x=1']);
	assert.deepEqual(withEnvValue(env, 'TRUSTED', undefined), env, 'a name that only starts like another is another variable');
	assert.deepEqual(
		withEnvValue(['A=1', 'B', 'C=3', 'B=2'], 'B', '9'),
		['A=1', 'B=9', 'C=3'],
		"a bare or repeated entry becomes one, in the first one's place",
	);
	assert.equal(envValue(['A=1', 'A=2'], 'A'), '2', 'the last entry wins, as in a container');
	assert.equal(envValue(['A'], 'A'), undefined, 'a bare name has no value');
	assert.equal(envValue(['A='], 'A'), '');
});

test('on a swarm the firewall step writes the stack file and updates the spec with the same value, instead of a recreate', () => {
	const {planned, firewall} = planFrom(deployed());
	assert.deepEqual(
		firewall.map((action) => action.kind),
		['file.write', 'swarm.env'],
	);
	const update = firewall[1] as SwarmEnv;
	assert.deepEqual(update, {
		kind: 'swarm.env',
		service: 'media_jellyfin',
		variable: 'TRUSTED_PROXIES',
		before: '10.231.0.0/24',
		after: '10.231.0.0/24,10.231.11.0/24',
		order: 'start-first',
		orderReason: 'no mounts: the new task starts before the old one stops',
	});
	const stack = planned.files.find((file) => file.path.endsWith('stack.yml'))?.after ?? '';
	assert.equal(/TRUSTED_PROXIES: "([^"]*)"/.exec(stack)?.[1], update.after, 'the next `docker stack deploy` sets what the update set');
	assert.ok(!planned.notes.some((note) => note.includes('apply refuses')), planned.notes.join('\n'));
});

test('the dry run shows the env update in one line, the allow-list visible and every other value masked', () => {
	const {loaded, planned} = planFrom(deployed());
	const text = renderDryRun(planned, loaded.project, loaded.plan, {source: 'the engine'});
	assert.match(
		text,
		/Update firewall allow-lists:\n {2}~ write stack\.yml \(TRUSTED_PROXIES of jellyfin: \+ 10\.231\.11\.0\/24\)\n {2}\+ update swarm service media_jellyfin: TRUSTED_PROXIES \+= 10\.231\.11\.0\/24 \(start-first: no mounts/,
	);
	assert.match(text, /\+ {6}TRUSTED_PROXIES: "10\.231\.0\.0\/24,10\.231\.11\.0\/24"/);
	assert.match(text, /TZ: \*\*\*\*/);
	for (const value of ['changeme', 'media.example.org', 'Europe/Berlin']) assert.ok(!text.includes(value), `${value} is not shown`);
});

test('planned again from what the iteration leaves, the allow-list needs nothing more', () => {
	const {loaded, planned} = planFrom(deployed());
	const texts = new Map(planned.files.map((file) => [file.path, file.after]));
	const after = simulate(
		deployed(),
		planned.steps.flatMap((step) => step.actions),
	);
	assert.deepEqual(after.swarm?.get('jellyfin')?.env, [
		'TZ=Europe/Berlin',
		'TRUSTED_PROXIES=10.231.0.0/24,10.231.11.0/24',
		'JELLYFIN_PublishedServerUrl=https://media.example.org',
	]);
	const again = planIteration(loaded.plan, 0, reloadComposeProject(loaded.project, texts), after);
	assert.deepEqual(again.steps.find((step) => step.name === 'firewall')?.actions, []);
	assert.ok(again.notes.includes('jellyfin: TRUSTED_PROXIES already covers 10.231.11.0/24'), again.notes.join('\n'));
	assert.deepEqual(preflightProblems(reloadComposeProject(loaded.project, texts), loaded.plan, after), []);
});

test('a running value changed by hand is said in the plan and refused by preflight, not silently dropped or kept', () => {
	const {loaded, planned, firewall} = planFrom(deployed('10.231.0.0/24,192.168.1.0/24'));
	const drift = '"10.231.0.0/24,192.168.1.0/24" in the running service but "10.231.0.0/24" in the stack file';
	assert.ok(
		planned.notes.some((note) => note.includes(drift) && note.includes('apply refuses until they agree')),
		planned.notes.join('\n'),
	);
	assert.equal((firewall[1] as Action & {after?: string}).after, '10.231.0.0/24,192.168.1.0/24,10.231.11.0/24');
	const problems = preflightProblems(loaded.project, loaded.plan, deployed('10.231.0.0/24,192.168.1.0/24'));
	assert.equal(problems.length, 1);
	assert.match(
		problems[0]?.message ?? '',
		/^TRUSTED_PROXIES of media_jellyfin is "10\.231\.0\.0\/24,192\.168\.1\.0\/24" in the running service/,
	);
	assert.match(problems[0]?.hint ?? '', /`docker stack deploy` the file/);
	const unset = preflightProblems(loaded.project, loaded.plan, deployed(null));
	assert.match(unset[0]?.message ?? '', /is not set in the running service but "10\.231\.0\.0\/24" in the stack file/);
	assert.deepEqual(preflightProblems(loaded.project, loaded.plan, deployed()), [], 'file and spec agree: no problem');
});
