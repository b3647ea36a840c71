/**
 * The network map and the reachability matrix in the wizard, at 80×24: the review's Map tab,
 * the home screen's "Network map" and "Verify isolation" entries through the App with a fake
 * core, and the Verify screen scrolling with the keys every page uses.
 */
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import type {Core} from '../../source/app.js';
import {fakeCore as sharedFakeCore, wizard as sharedWizard} from '../harness/wizard.js';
import {ReviewScreen} from '../../source/ui/ReviewScreen.js';
import {VerifyScreen} from '../../source/ui/VerifyScreen.js';
import {checks, health, matrixAfterRetire, networkMapOf, overview, review} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt} from '../harness/render.js';

afterEach(cleanup);
const terminal = {columns: 80, rows: 24};

/** The shared fake core, with the map after iteration 3 (the tests below read the review's Map tab of the last iteration). */
const fakeCore = (change: Partial<Core> = {}): Core => sharedFakeCore({loadMap: async () => networkMapOf(2), ...change});

const wizard = (core: Core) => sharedWizard(core).tree;

describe("the review's Map tab", () => {
	test('shows the services against the networks, joined + and kept o, with the legend, in 80x24', async () => {
		const screen = await renderAt(
			<ReviewScreen review={review()} width={80} height={24} onConfirm={() => {}} onBack={() => {}} />,
			terminal,
		);
		await screen.type(keys.right, keys.right, keys.right);
		const frame = await screen.waitFor((text) => /now: the compose files/.test(text));
		assert.match(frame, / Map /);
		assert.match(frame, /^traefik +o\* \+  \+  \+        \+$/m);
		assert.match(frame, /^ {2}\^ qbittorrent$/m);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		await screen.type(keys.pageDown);
		const below = await screen.waitFor((text) => /C {2}frontend-net {3}172\.20\.1\.0\/24 +new, internal/.test(text));
		assert.ok(fits(below, terminal).ok);
	});
});

describe('home: Network map and Verify isolation', () => {
	test('Network map opens the map of now against the next iteration, as a page that scrolls', async () => {
		const screen = await renderAt(wizard(fakeCore()), terminal);
		await screen.waitFor((text) => /Network map/.test(text) && /Verify isolation/.test(text));
		await screen.type(keys.down, keys.down, keys.down, keys.enter);
		const frame = await screen.waitFor((text) => /Network map of media: now -> after iteration 3 \(retire-legacy\)/.test(text));
		assert.match(frame, /^cloudflared +- +\+\*$/m);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		await screen.type('q');
		await screen.waitFor((text) => /Start iteration 1/.test(text));
	});

	test('Verify isolation opens the matrix; a core that cannot probe shows its error, not a crash', async () => {
		const screen = await renderAt(wizard(fakeCore()), terminal);
		await screen.waitFor((text) => /Verify isolation/.test(text));
		await screen.type(keys.down, keys.down, keys.down, keys.down, keys.enter);
		const frame = await screen.waitFor((text) => /Verify isolation · after iteration 3 \(retire-legacy\)/.test(text));
		assert.match(frame, /✖ 272 pairs, 2 not as intended, 1 through the host/);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		const failing = await renderAt(
			wizard(
				fakeCore({
					verifyIsolation: async () => {
						throw new Error('verify probes the stack on the engine, and this build cannot probe yet');
					},
				}),
			),
			terminal,
		);
		await failing.waitFor((text) => /Verify isolation/.test(text));
		await failing.type(keys.down, keys.down, keys.down, keys.down, keys.enter);
		await failing.waitFor((text) => /this build cannot probe yet/.test(text));
	});
});

describe('the Verify screen', () => {
	test('at 80x24 the grid comes first; Space pages down to the mismatches and their reasons; PgUp comes back', async () => {
		const screen = await renderAt(<VerifyScreen matrix={matrixAfterRetire()} width={80} height={24} onBack={() => {}} />, terminal);
		let frame = screen.lastFrame();
		assert.match(frame, /^b cloudflared +· \\ ! x/m);
		assert.match(frame, /\(1-20\/\d+\)/);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		await screen.type(' ');
		frame = await screen.waitFor((text) => /Not as intended \(2\):/.test(text));
		assert.match(frame, /! cloudflared -> jellyfin: expected blocked, reachable/);
		assert.ok(fits(frame, terminal).ok);
		await screen.type(' ', ' ');
		frame = await screen.waitFor((text) => /Egress, as configured \(not probed\):/.test(text));
		await screen.type(keys.pageUp, keys.pageUp, keys.pageUp);
		frame = await screen.waitFor((text) => /^a traefik/m.test(text));
	});

	test('q, Esc and Enter go back', async () => {
		for (const key of ['q', keys.escape, keys.enter]) {
			const calls: string[] = [];
			const screen = await renderAt(
				<VerifyScreen matrix={matrixAfterRetire()} width={80} height={24} onBack={() => calls.push('back')} />,
				terminal,
			);
			await screen.type(key);
			assert.deepEqual(calls, ['back']);
			screen.unmount();
		}
	});
});
