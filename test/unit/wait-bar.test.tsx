/**
 * A wait's bar (source/ui/WaitBar.tsx) as the operator sees it at a few moments of a first
 * healthcheck due in about a minute and given up on after two: filling toward the minute, full at
 * it, then over time toward the two — in Unicode and in ASCII, always within 80 columns. Time is
 * given (`now`, or the run's clock), never waited for; the bar's own tick, used outside a run,
 * neither keeps the process alive nor outlives the bar.
 */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {RunClock, tickMs} from '../../source/ui/run-clock.js';
import type {WaitView} from '../../source/ui/run-state.js';
import {WaitBar} from '../../source/ui/WaitBar.js';
import {cleanup, fits, renderAt, tick} from '../harness/render.js';

afterEach(() => {
	cleanup();
	process.env.NETMIGRATE_GLYPHS = 'unicode';
});

const sonarr: WaitView = {service: 'sonarr', waitsFor: 'first healthcheck', aboutMs: 60_000, mostMs: 120_000, startedAt: 1_000};
const terminal = {columns: 80, rows: 24};

async function frameAt(elapsedMs: number, wait: WaitView = sonarr): Promise<string> {
	const screen = await renderAt(<WaitBar wait={wait} width={80} now={wait.startedAt + elapsedMs} />);
	const frame = screen.lastFrame();
	assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
	screen.unmount();
	return frame;
}

const moments: Array<[string, number, string, string]> = [
	['just begun: empty', 0, '░░░░░░░░░░░░░  0s of about 1m (at most 2m)', '.............  0s of about 1m (at most 2m)'],
	[
		'42 s in: most of the way to about',
		42_000,
		'█████████░░░░  42s of about 1m (at most 2m)',
		'#########....  42s of about 1m (at most 2m)',
	],
	['at about: full', 60_000, '█████████████  1m of about 1m (at most 2m)', '#############  1m of about 1m (at most 2m)'],
	[
		'20 s past about: over time creeps in',
		80_000,
		'▓▓▓▓▓████████  1m20s of about 1m (at most 2m)',
		'=====########  1m20s of about 1m (at most 2m)',
	],
	[
		'past the most: all over time',
		130_000,
		'▓▓▓▓▓▓▓▓▓▓▓▓▓  2m10s of about 1m (at most 2m)',
		'=============  2m10s of about 1m (at most 2m)',
	],
];

for (const [moment, elapsed, unicode, ascii] of moments) {
	test(`${moment}, in Unicode and ASCII`, async () => {
		process.env.NETMIGRATE_GLYPHS = 'unicode';
		assert.equal(await frameAt(elapsed), `  sonarr        first healthcheck  ${unicode}`);
		process.env.NETMIGRATE_GLYPHS = 'ascii';
		assert.equal(await frameAt(elapsed), `  sonarr        first healthcheck  ${ascii}`);
	});
}

test('a long service name is cut, and a wait whose most is below its about (an interval longer than compose waits) is over time past the most', async () => {
	const slow: WaitView = {service: 'homeassistant-proxy', waitsFor: 'first healthcheck', aboutMs: 300_000, mostMs: 120_000, startedAt: 0};
	assert.equal(await frameAt(60_000, slow), '  homeassistan… first healthcheck  ██████░░░░░░░  1m of about 5m (at most 2m)');
	assert.equal(await frameAt(121_000, slow), '  homeassistan… first healthcheck  ▓▓▓▓▓▓▓▓▓▓▓▓▓  2m1s of about 5m (at most 2m)');
});

test('in a narrow terminal the bar keeps a few cells and the words are cut to fit', async () => {
	const screen = await renderAt(<WaitBar wait={sonarr} width={60} now={43_000} />, {columns: 60, rows: 20});
	const frame = screen.lastFrame();
	assert.equal(frame, '  sonarr        first healthcheck  ██░░  42s of about 1m (a…');
	assert.ok(fits(frame, {columns: 60, rows: 20}).ok);
});

test("in a run the bar moves with the run's clock", async () => {
	const at = (clock: number) => (
		<RunClock.Provider value={clock}>
			<WaitBar wait={sonarr} width={80} />
		</RunClock.Provider>
	);
	const screen = await renderAt(at(16_000));
	assert.match(screen.lastFrame(), /███░░░░░░░░░░ {2}15s of about 1m/);
	screen.instance.rerender(at(31_000));
	await tick();
	assert.match(screen.lastFrame(), /██████░░░░░░░ {2}30s of about 1m/);
});

test('outside a run the bar ticks on its own: that tick moves it, does not keep the process alive, and stops when the bar goes', async () => {
	const started: NodeJS.Timeout[] = [];
	const ticks: Array<() => void> = [];
	const cleared: unknown[] = [];
	const {setInterval: realSet, clearInterval: realClear} = globalThis;
	const realNow = Date.now;
	globalThis.setInterval = ((callback: () => void, ms: number) => {
		const timer = realSet(() => {}, 1 << 30);
		if (ms === tickMs) {
			started.push(timer);
			ticks.push(callback);
		}
		return timer;
	}) as typeof setInterval;
	globalThis.clearInterval = ((timer: NodeJS.Timeout) => {
		cleared.push(timer);
		realClear(timer);
	}) as typeof clearInterval;
	try {
		Date.now = () => 1_000;
		const screen = await renderAt(<WaitBar wait={sonarr} width={80} />);
		assert.match(screen.lastFrame(), / 0s of about 1m/);
		assert.equal(started.length, 1, 'one tick of its own');
		assert.equal(started[0]?.hasRef(), false, 'the tick alone does not keep the process alive');
		Date.now = () => 43_000;
		ticks[0]?.();
		await tick();
		assert.match(screen.lastFrame(), /█████████░░░░ {2}42s of about 1m/);
		screen.unmount();
		assert.ok(cleared.includes(started[0]), 'the tick is cleared with the bar');
	} finally {
		globalThis.setInterval = realSet;
		globalThis.clearInterval = realClear;
		Date.now = realNow;
	}
});
