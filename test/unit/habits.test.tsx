/** What every terminal tool does: q quits at the top, ? shows the keys, a cut message opens whole. */
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {HomeScreen, homeChoices} from '../../source/ui/HomeScreen.js';
import {ReviewScreen} from '../../source/ui/ReviewScreen.js';
import {RunScreen} from '../../source/ui/RunScreen.js';
import {reduceRun} from '../../source/ui/run-state.js';
import {overview, review} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt} from '../harness/render.js';
import {runningView} from '../harness/run-views.js';
import {fakeCore, wizard} from '../harness/wizard.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';

const terminal = {columns: 80, rows: 24};

describe('q and ?', () => {
	test('q on the home screen quits at once when no run is going', async () => {
		const {exits, tree} = wizard();
		const screen = await renderAt(tree, terminal);
		await screen.waitFor((text) => /Start iteration 1/.test(text));
		await screen.type('q');
		assert.deepEqual(exits, [0]);
	});

	test('q on the review goes back home, not out', async () => {
		const {exits, tree} = wizard();
		const screen = await renderAt(tree, terminal);
		await screen.waitFor((text) => /Start iteration 1/.test(text));
		await screen.type(keys.down, keys.enter);
		await screen.waitFor((text) => /Review iteration 1/.test(text));
		await screen.type('q');
		await screen.waitFor((text) => /Start iteration 1/.test(text));
		assert.deepEqual(exits, []);
	});

	test('? shows the keys of the current screen; Esc closes it and the screen is as it was', async () => {
		const {exits, tree} = wizard();
		const screen = await renderAt(tree, terminal);
		await screen.waitFor((text) => /Start iteration 1/.test(text));
		await screen.type(keys.down, '?');
		let frame = await screen.waitFor((text) => /Keys on the home screen/.test(text));
		assert.match(frame, /q\s+quit/);
		assert.match(frame, /1-9\s+choose by number/);
		assert.doesNotMatch(frame, /Start iteration 1/, 'the help is drawn instead of the screen');
		assert.ok(fits(frame, terminal).ok);
		await screen.type('q');
		frame = await screen.waitFor((text) => /Start iteration 1/.test(text));
		assert.deepEqual(exits, [], 'q closed the help without quitting');
		assert.match(frame, /❯ Review the plan/, 'the selection survived');

		await screen.type(keys.enter);
		await screen.waitFor((text) => /Review iteration 1/.test(text));
		await screen.type(keys.right, '?');
		frame = await screen.waitFor((text) => /Keys on the review/.test(text));
		assert.match(frame, /Tab\s+actions, diffs, networks, map, warnings/);
		await screen.type(keys.escape);
		frame = await screen.waitFor((text) => /Review iteration 1/.test(text));
		assert.match(frame, /\+ {6}- dmz-net/, 'still on the Diffs view: Esc closed the help, not the review');
	});
});

describe('long messages open whole', () => {
	const error = `the Docker engine is not answering (ECONNREFUSED) at unix:///var/run/docker.sock; ${'it was asked three times over two seconds and never answered; '.repeat(2)}the end`;

	test('a cut banner on the home screen offers the whole message, which Enter opens', async () => {
		const data = overview({statuses: ['failed', 'pending', 'pending'], interruptedAt: 'Multi-home services', error});
		assert.ok(homeChoices(data, true).some((item) => item.value === 'message'));
		const chosen: string[] = [];
		const screen = await renderAt(<HomeScreen overview={data} width={80} height={24} onChoose={(choice) => chosen.push(choice)} />);
		assert.doesNotMatch(screen.lastFrame(), /the end/);
		// Resume, Roll back, Show the journal, Read the whole message.
		await screen.type(keys.down, keys.down, keys.down, keys.enter);
		const frame = await screen.waitFor((text) => /The whole message/.test(text));
		assert.match(frame.replace(/\s+/g, ' '), /never answered; the end/);
		assert.ok(fits(frame, terminal).ok, frame);
		await screen.type('q');
		await screen.waitFor((text) => /Resume iteration 1/.test(text));
		assert.deepEqual(chosen, [], 'reading and closing it chose nothing');
	});

	test('a short banner offers nothing extra', () => {
		assert.ok(
			!homeChoices(overview({statuses: ['failed', 'pending', 'pending'], error: 'short'})).some((item) => item.value === 'message'),
		);
	});

	test('a long failure on the run screen shows its start and opens whole on Enter', async () => {
		const view = reduceRun(runningView(), {
			type: 'step-failed',
			step: 'multihome',
			title: 'Multi-home services',
			error,
			hint: 'start the engine (`systemctl start docker`) and choose Retry',
		});
		const choices: string[] = [];
		const screen = await renderAt(
			<RunScreen
				view={view}
				width={80}
				height={24}
				stopping={false}
				onGate={() => {}}
				onFailure={(choice) => choices.push(choice)}
			/>,
		);
		let frame = screen.lastFrame();
		assert.match(frame, /more lines/);
		assert.ok(fits(frame, terminal).ok, frame);
		await screen.type(keys.down, keys.down, keys.down, keys.enter);
		frame = await screen.waitFor((text) => /What failed/.test(text));
		assert.match(frame.replace(/\s+/g, ' '), /never answered; the end/);
		assert.match(frame, /fix: start the engine/);
		await screen.type('q');
		frame = await screen.waitFor((text) => /Retry \(resume from here\)/.test(text));
		assert.deepEqual(choices, []);
	});

	test('warnings in the review wrap instead of being cut at the edge', async () => {
		const data = {
			...review(),
			warnings: [`gluetun: ${'a very long warning about the default route moving to another network '.repeat(2)}END`],
		};
		const screen = await renderAt(<ReviewScreen review={data} width={80} height={24} onConfirm={() => {}} onBack={() => {}} />);
		await screen.type(keys.left);
		const frame = screen.lastFrame();
		assert.match(frame, /Warnings \(1\)/);
		assert.match(frame, /END/);
		assert.ok(fits(frame, terminal).ok, frame);
	});
});

test('a pending settle is shown on the home screen and offered; choosing it runs the settle and shows what it recreated', async () => {
	const home = overview({statuses: ['done', 'pending', 'pending'], settlePending: ['gluetun', 'traefik']});
	const plain = await renderAt(
		<HomeScreen overview={overview({statuses: ['done', 'pending', 'pending']})} width={80} onChoose={() => {}} />,
	);
	assert.doesNotMatch(plain.lastFrame(), /[Ss]ettle/);
	const asked: string[] = [];
	const core = fakeCore(
		{
			settleStack: async (options) => {
				asked.push(options.planFile);
				options.emit({
					type: 'run-start',
					run: 'settle',
					iteration: 'network-foundation',
					index: 0,
					resumed: false,
					steps: [{name: 'settle', title: 'Settle: recreate changed services one at a time'}],
				});
				return {
					iteration: 'network-foundation',
					index: 0,
					actions: [],
					durationMs: 4200,
					recreated: [
						{services: ['gluetun', 'qbittorrent'], durationMs: 3100},
						{services: ['traefik'], durationMs: 1100},
					],
					nothingToDo: false,
				};
			},
		},
		home,
	);
	const screen = await renderAt(wizard(core).tree);
	await screen.waitFor((text) => /Settle:/.test(text));
	assert.match(screen.lastFrame(), /! settle pending: `docker compose up -d` would recreate gluetun, traefik at once/);
	assert.match(screen.lastFrame(), /Start iteration 2: port-consolidation\n.*Settle: recreate 2 services one at a time/);
	await screen.type(keys.down, keys.enter);
	await screen.waitFor((text) => /Settled after iteration 1/.test(text));
	assert.deepEqual(asked, ['/srv/media/netmigrate.yml']);
	assert.match(screen.lastFrame(), /gluetun → qbittorrent: recreated and healthy in 3\.1 s/);
	assert.match(screen.lastFrame(), /`docker compose up -d` now has nothing to recreate/);
});
