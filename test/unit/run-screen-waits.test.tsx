/**
 * The run screen while recreates side by side wait for their first healthchecks: a line and a bar
 * for each wait in progress, under the action being made, each gone at its own wait-done — drawn
 * from a folded view at a fixed time on the run's clock, then in the whole wizard over the fake
 * core, whose apply emits the waits as the health gate does. Every frame fits 80×24.
 */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import type {RunEvent} from '../../source/events.js';
import type {ApplyResult} from '../../source/run.js';
import {RunClock} from '../../source/ui/run-clock.js';
import {RunScreen} from '../../source/ui/RunScreen.js';
import {reduceRun, type RunView} from '../../source/ui/run-state.js';
import {overview} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt} from '../harness/render.js';
import {runningView} from '../harness/run-views.js';
import {fakeCore, wizard} from '../harness/wizard.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';

const terminal = {columns: 80, rows: 24};
const firstHealthcheck = (service: string): RunEvent => ({
	type: 'wait-start',
	service,
	waitsFor: 'first healthcheck',
	aboutMs: 60_000,
	mostMs: 120_000,
});

function drawn(view: RunView, clock: number, size = terminal) {
	return renderAt(
		<RunClock.Provider value={clock}>
			<RunScreen view={view} width={size.columns} height={size.rows} stopping={false} onGate={() => {}} onFailure={() => {}} />
		</RunClock.Provider>,
		size,
	);
}

test('two waits at once: a bar each under the current action, the log tail giving way, and one goes at its wait-done', async () => {
	const now = Date.now();
	let view = reduceRun(runningView(), firstHealthcheck('sonarr'), now - 80_000);
	view = reduceRun(view, firstHealthcheck('radarr'), now - 60_000);
	const screen = await drawn(view, now);
	const frame = screen.lastFrame();
	assert.match(
		frame,
		/→ connect sonarr to download-net as sonarr *\n {2}sonarr {8}first healthcheck {2}▓▓▓▓▓████████ {2}1m20s of about 1m \(at most 2m\)\n {2}radarr {8}first healthcheck {2}█████████████ {2}1m of about 1m \(at most 2m\)\n/,
	);
	assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
	const without = await drawn(runningView(), now);
	assert.equal(
		frame.split('\n').length,
		without.lastFrame().split('\n').length,
		'as many lines as without waits: the log tail is two shorter',
	);
	assert.match(without.lastFrame(), /svc2 to mgmt-net/);
	assert.doesNotMatch(frame, /svc3 to mgmt-net/);

	const after = await drawn(reduceRun(view, {type: 'wait-done', service: 'sonarr', ok: true}), now);
	assert.doesNotMatch(after.lastFrame(), /sonarr {8}first healthcheck/);
	assert.match(after.lastFrame(), /radarr {8}first healthcheck/);
});

test('more waits than the screen has rows for: those that fit, and how many more', async () => {
	const size = {columns: 60, rows: 20};
	let view = runningView();
	for (const service of ['sonarr', 'radarr', 'lidarr', 'readarr', 'prowlarr', 'bazarr', 'jellyfin', 'overseerr'])
		view = reduceRun(view, firstHealthcheck(service), 100_000);
	const screen = await drawn(view, 130_000, size);
	const frame = screen.lastFrame();
	assert.match(frame, /sonarr {8}first healthcheck/);
	assert.match(frame, / and \d more waiting/);
	assert.doesNotMatch(frame, /overseerr/);
	assert.ok(fits(frame, size).ok, `${JSON.stringify(fits(frame, size))}\n${frame}`);
});

test('a failed run shows its failure, not the waits it left', async () => {
	let view = reduceRun(runningView(), firstHealthcheck('sonarr'), 100_000);
	view = reduceRun(view, {type: 'step-failed', step: 'multihome', title: 'Multi-home services', error: 'sonarr is unhealthy'});
	const screen = await drawn(view, 130_000);
	assert.match(screen.lastFrame(), /✖ sonarr is unhealthy/);
	assert.doesNotMatch(screen.lastFrame(), /first healthcheck/);
});

const applied: ApplyResult = {
	status: 'done',
	iteration: 'port-consolidation',
	index: 1,
	durationMs: 64_000,
	checks: [],
	health: [],
	restarts: [],
	networksCreated: 0,
	servicesMultihomed: 0,
	movedRoutes: [],
};

test('in the wizard: an apply whose recreates wait side by side shows both waits, and each goes when its healthcheck passes', async () => {
	const release: Array<() => void> = [];
	const healthy = () => new Promise<void>((resolve) => release.push(resolve));
	const core = fakeCore(
		{
			applyIteration: async ({emit}) => {
				emit({
					type: 'run-start',
					run: 'apply',
					iteration: 'port-consolidation',
					index: 1,
					resumed: false,
					steps: [{name: 'labels', title: 'Set labels'}],
				});
				emit({type: 'step-start', step: 'labels', title: 'Set labels', total: 2});
				for (const service of ['sonarr', 'radarr']) {
					emit({type: 'action-start', step: 'labels', id: service, description: `recreate ${service}`});
					emit({type: 'log', level: 'info', message: `waiting for ${service}'s first healthcheck: it runs every 1m (3 retries)`});
					emit(firstHealthcheck(service));
				}
				for (const [done, service] of ['sonarr', 'radarr'].entries()) {
					await healthy();
					emit({type: 'wait-done', service, ok: true});
					const action = {step: 'labels', id: service, description: `recreate ${service}`, durationMs: 61_000, already: false};
					emit({type: 'action-done', ...action, done: done + 1, total: 2});
				}
				emit({type: 'step-done', step: 'labels', title: 'Set labels', durationMs: 64_000, summary: '2 recreated'});
				emit({type: 'run-done', run: 'apply', iteration: 'port-consolidation', durationMs: 64_000, summary: 'done'});
				return applied;
			},
		},
		overview({statuses: ['done', 'pending', 'pending']}),
	);
	const screen = await renderAt(wizard(core).tree);
	await screen.waitFor((frame) => /❯ Start iteration 2/.test(frame));
	await screen.type(keys.enter);
	await screen.waitFor((frame) => /Review iteration/.test(frame));
	await screen.type(keys.enter);
	const both = await screen.waitFor((frame) => /radarr {8}first healthcheck/.test(frame));
	assert.match(both, /sonarr {8}first healthcheck {2}░+ {2}\d+s of about 1m \(at most 2m\)\n {2}radarr {8}first healthcheck/);
	assert.match(both, /waiting for radarr's first healthcheck/, 'the log line is still in the tail');
	assert.ok(fits(both, terminal).ok, JSON.stringify(fits(both, terminal)));

	release.shift()?.();
	const one = await screen.waitFor((frame) => !/sonarr {8}first healthcheck/.test(frame));
	assert.match(one, /radarr {8}first healthcheck/);
	assert.match(one, /✔ recreate sonarr 61000 ms/);

	release.shift()?.();
	await screen.waitFor((frame) => !/radarr {8}first healthcheck/.test(frame));
});
