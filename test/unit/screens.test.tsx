import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import {ChecksScreen} from '../../source/ui/ChecksScreen.js';
import {DoneScreen, RollbackDoneScreen} from '../../source/ui/DoneScreen.js';
import {HomeScreen, homeChoices} from '../../source/ui/HomeScreen.js';
import {ReviewScreen} from '../../source/ui/ReviewScreen.js';
import {RunScreen} from '../../source/ui/RunScreen.js';
import {reduceRun} from '../../source/ui/run-state.js';
import {TextScreen} from '../../source/ui/TextScreen.js';
import {tone} from '../../source/ui/theme.js';
import {checks, health, overview, review} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt, tick} from '../harness/render.js';
import {runningView} from '../harness/run-views.js';

afterEach(cleanup);
// These frames are asserted in Unicode whatever the locale of the machine running them (test/unit/terminal.test.tsx covers ASCII).
process.env.NETMIGRATE_GLYPHS = 'unicode';

const terminal = {columns: 80, rows: 24};

describe('home screen', () => {
	test('shows the stack, the iterations with status and the next step to take', async () => {
		const screen = await renderAt(
			<HomeScreen overview={overview({statuses: ['done', 'pending', 'pending']})} width={80} onChoose={() => {}} />,
		);
		const frame = screen.lastFrame();
		assert.match(frame, /netmigrate · project media · 11 compose files · Docker 26\.1\.5/);
		assert.match(frame, /18\/18 services running/);
		assert.match(frame, /1\. network-foundation\s+done\s+2026-11-23 10:00/);
		assert.match(frame, /2\. port-consolidation\s+pending/);
		assert.match(frame, /❯ Start iteration 2: port-consolidation/);
		assert.match(frame, /Roll back…/);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		screen.unmount();
	});

	test('an interrupted iteration shows a banner with where it stopped and offers resume, roll back, journal', async () => {
		const data = overview({
			statuses: ['failed', 'pending', 'pending'],
			interruptedAt: 'Multi-home services',
			error: 'the Docker engine is not answering (ECONNREFUSED)',
		});
		const screen = await renderAt(<HomeScreen overview={data} width={80} onChoose={() => {}} />);
		const frame = screen.lastFrame();
		assert.match(frame, /Iteration 1 \(network-foundation\) was interrupted at Multi-home services/);
		assert.match(frame, /the Docker engine is not answering/);
		assert.deepEqual(
			homeChoices(data).map((item) => item.value),
			['resume', 'rollback', 'journal', 'review', 'checks', 'quit'],
		);
		assert.ok(fits(frame, terminal).ok);
		screen.unmount();
	});

	test('services that are not running are named', async () => {
		const screen = await renderAt(<HomeScreen overview={overview({running: 16})} width={80} onChoose={() => {}} />);
		assert.match(screen.lastFrame(), /16\/18 services running \(not running: dozzle, autoheal\)/);
		screen.unmount();
	});

	test('arrow keys and Enter choose from the menu', async () => {
		const chosen: string[] = [];
		const screen = await renderAt(<HomeScreen overview={overview()} width={80} onChoose={(choice) => chosen.push(choice)} />);
		await screen.type(keys.down, keys.enter);
		assert.deepEqual(chosen, ['review']);
		screen.unmount();
	});
});

describe('review screen', () => {
	test('lists actions per step, then the diff, networks and warnings; Enter confirms, q goes back', async () => {
		const calls: string[] = [];
		const screen = await renderAt(
			<ReviewScreen
				review={review()}
				width={80}
				height={24}
				onConfirm={() => calls.push('confirm')}
				onBack={() => calls.push('back')}
			/>,
		);
		let frame = screen.lastFrame();
		assert.match(frame, /Review iteration 1: network-foundation · mode live · 31 actions · 1 files/);
		assert.match(frame, /Create networks \(1\)\n {2}create network dmz-net \(172\.20\.0\.0\/24\)/);
		assert.match(frame, /1-20\/35/, 'the long list scrolls');
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));

		await screen.type(keys.pageDown);
		assert.match(screen.lastFrame(), /16-35\/35/);
		assert.match(screen.lastFrame(), /traefik → jellyfin:8096 via frontend-net \(expect reachable\)/);

		await screen.type(keys.right);
		frame = screen.lastFrame();
		assert.match(frame, /\+ {6}- dmz-net/);
		assert.match(frame, /WIREGUARD_PRIVATE_KEY=\*\*\*\*/);

		await screen.type(keys.right);
		assert.match(screen.lastFrame(), /dmz-net\s+172\.20\.0\.0\/24\s+no\s+to create/);
		assert.match(screen.lastFrame(), /frontend-net\s+172\.20\.1\.0\/24\s+yes\s+exists \(reused\)/);

		await screen.type(keys.right);
		assert.match(screen.lastFrame(), /^sonarr +o\* +\+  \+$/m, 'the map: sonarr joins backend-net and download-net');

		await screen.type(keys.right);
		assert.match(screen.lastFrame(), /note: sonarr: its networks came from a merge key/);

		await screen.type(keys.enter, 'q');
		assert.deepEqual(calls, ['confirm', 'back']);
		screen.unmount();
	});
});

describe('run screen', () => {
	test('shows the steps with status and counters, the current action and the log tail', async () => {
		const screen = await renderAt(
			<RunScreen view={runningView()} width={80} height={24} stopping={false} onGate={() => {}} onFailure={() => {}} />,
		);
		const frame = screen.lastFrame();
		assert.match(frame, /Applying iteration 1: network-foundation/);
		assert.match(frame, /✔ Preflight\s+170 ms\s+ready/);
		assert.match(frame, /Multi-home services\s+12\/39\s+1\.\d s/);
		assert.match(frame, /○ Connectivity checks/);
		assert.match(frame, /→ connect sonarr to download-net as sonarr/);
		assert.match(frame, /✔ connect svc11 to mgmt-net as svc11 40 ms/);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		screen.unmount();
	});

	test('the gate before a host-changing step names it and waits for Enter (or q to stop)', async () => {
		const answers: boolean[] = [];
		const gate = {
			title: 'Update firewall allow-lists',
			actions: ['write qbittorrent/docker-compose.yml (FIREWALL_OUTBOUND_SUBNETS of gluetun)', 'recreate gluetun → qbittorrent'],
		};
		const screen = await renderAt(
			<RunScreen
				view={runningView()}
				width={80}
				height={24}
				gate={gate}
				stopping={false}
				onGate={(go) => answers.push(go)}
				onFailure={() => {}}
			/>,
		);
		assert.match(screen.lastFrame(), /Next: Update firewall allow-lists — 2 actions that change the host/);
		await screen.type('s');
		assert.match(screen.lastFrame(), /recreate gluetun → qbittorrent/);
		assert.ok(fits(screen.lastFrame(), terminal).ok);
		await screen.type(keys.enter, 'q');
		assert.deepEqual(answers, [true, false]);
		screen.unmount();
	});

	test('a failure is shown in plain words with its fix, then retry / roll back / quit', async () => {
		const view = reduceRun(runningView(), {
			type: 'step-failed',
			step: 'multihome',
			title: 'Multi-home services',
			error: 'container sonarr is exited, not running',
			hint: 'start it (`docker start sonarr`) and resume',
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
		const frame = screen.lastFrame();
		assert.match(frame, /✖ container sonarr is exited, not running/);
		assert.match(frame, /fix: start it \(`docker start sonarr`\) and resume/);
		assert.match(frame, /Retry \(resume from here\)/);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		await screen.type(keys.down, keys.enter);
		assert.deepEqual(choices, ['rollback']);
		screen.unmount();
	});

	test('a failed rollback offers to retry the rollback or quit — not to resume or roll back again', async () => {
		const view = reduceRun(
			{...runningView(), run: 'rollback'},
			{
				type: 'step-failed',
				step: 'rollback',
				title: 'Roll back',
				error: 'recreating gluetun: not healthy',
				hint: 'fix the cause, then run `netmigrate rollback` again to finish the rollback',
			},
		);
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
		const frame = screen.lastFrame();
		assert.match(frame, /Retry the rollback \(continue from here\)/);
		assert.match(frame, /Quit and keep the state \(finish later with `netmigrate rollback`\)/);
		assert.doesNotMatch(frame, /resume|Roll back this iteration/);
		assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
		await screen.type(keys.down, keys.enter);
		assert.deepEqual(choices, ['quit']);
		screen.unmount();
	});
});

describe('checks, done and text screens', () => {
	test('the check matrix puts failed rows first with the reason, and counts passes', async () => {
		const {lastFrame, unmount} = render(
			<ChecksScreen title="Checks of iteration 1" checks={checks} health={health} width={80} height={24} onBack={() => {}} />,
		);
		await tick();
		const frame = lastFrame() ?? '';
		assert.match(frame, /Checks of iteration 1 {2}2\/3 passed/);
		const rows = frame.split('\n').filter((line) => /^[✔✖] /.test(line));
		assert.match(rows[0] ?? '', /✖ sonarr\s+qbittorrent:8080\s+download-net\s+reachable\s+blocked\s+9\.1 ms\s+HTTP 403/);
		assert.match(rows[1] ?? '', /✔ traefik\s+jellyfin:8096\s+frontend-net\s+reachable\s+reachable\s+3\.7 ms/);
		assert.match(frame, /18 containers running, every healthcheck passing/);
		unmount();
	});

	test('containers unhealthy before the iteration began are a warning beside the health line, not a failure', async () => {
		const before = [
			...health.slice(0, 16),
			{
				container: 'media-jellyseerr-1',
				service: 'jellyseerr',
				state: 'running',
				health: 'unhealthy',
				ok: true,
				unhealthyBefore: true,
			},
		];
		const {lastFrame, unmount} = render(
			<ChecksScreen title="Checks of iteration 1" checks={checks} health={before} width={80} height={24} onBack={() => {}} />,
		);
		await tick();
		const frame = lastFrame() ?? '';
		assert.match(frame, /✔ 16 containers running, every healthcheck passing/);
		assert.match(frame, /! 1 unhealthy before the iteration began \(not a failure\): media-jellyseerr-1/);
		unmount();
	});

	test('the done screen sums up the iteration', async () => {
		const summary = {
			status: 'done' as const,
			iteration: 'network-foundation',
			index: 0,
			durationMs: 8100,
			report: '/srv/media/.netmigrate/reports/01.md',
			checks: checks.filter((check) => check.ok),
			health,
			restarts: [{services: ['gluetun', 'qbittorrent'], durationMs: 2300}],
			networksCreated: 6,
			servicesMultihomed: 17,
			movedRoutes: [],
		};
		const screen = await renderAt(<DoneScreen summary={summary} width={80} onHome={() => {}} />);
		const frame = screen.lastFrame();
		assert.match(frame, /✔ Iteration 1 \(network-foundation\) is done/);
		assert.match(frame, /Networks created {6}6/);
		assert.match(frame, /Services multi-homed {2}17/);
		assert.match(frame, /Checks passed {9}2\/2/);
		assert.match(frame, /Measured downtime {5}2\.3 s \(gluetun \+ qbittorrent\)/);
		assert.match(frame, /Report {16}\/srv\/media\/\.netmigrate\/reports\/01\.md/);
		assert.doesNotMatch(frame, /Default routes/, 'nothing to say when no route moved');
		assert.ok(fits(frame, terminal).ok);
		screen.unmount();

		const moved = {
			...summary,
			movedRoutes: [
				{container: 'traefik', before: 'media-network', after: 'dmz-net'},
				{container: 'sonarr', before: 'media-network', after: 'download-net'},
			],
		};
		const warned = await renderAt(<DoneScreen summary={moved} width={80} onHome={() => {}} />);
		assert.match(warned.lastFrame(), /Default routes moved {2}traefik → dmz-net, sonarr → download-net/);
		assert.ok(fits(warned.lastFrame(), terminal).ok);
		warned.unmount();
	});

	test('the rollback result says what was verified', async () => {
		const screen = await renderAt(
			<RollbackDoneScreen
				result={{
					iteration: 'network-foundation',
					index: 0,
					durationMs: 4300,
					restoredFiles: ['a', 'b'],
					mergedFiles: [],
					verified: ['12 files byte-identical (sha256)', '18 containers on exactly their networks from before'],
					nothingToDo: false,
				}}
				onHome={() => {}}
			/>,
		);
		assert.match(screen.lastFrame(), /✔ Iteration 1 \(network-foundation\) rolled back in 4\.3 s/);
		assert.match(screen.lastFrame(), /✔ 12 files byte-identical \(sha256\)/);
		screen.unmount();
	});

	test("the rollback result counts the files that kept the operator's changes apart from those put back as they were", async () => {
		const screen = await renderAt(
			<RollbackDoneScreen
				result={{
					iteration: 'network-foundation',
					index: 0,
					durationMs: 4300,
					restoredFiles: ['a', 'b', 'c'],
					mergedFiles: ['b'],
					verified: ['3 restored files byte-identical (sha256), 1 merged with your changes'],
					nothingToDo: false,
				}}
				onHome={() => {}}
			/>,
		);
		assert.match(screen.lastFrame(), /^2 files put back as they were before the iteration$/m);
		assert.match(screen.lastFrame(), /^1 file with netmigrate's edits undone and your changes since the apply kept$/m);
		screen.unmount();
	});

	test('a text page scrolls and keeps within the terminal, also after a resize', async () => {
		const lines = Array.from({length: 100}, (_, index) => `line ${index + 1} ${'x'.repeat(120)}`);
		const screen = await renderAt(<TextScreen title="Journal" lines={lines} width={80} height={24} onBack={() => {}} />);
		assert.match(screen.lastFrame(), /Journal {2}\(1-21\/100\)/);
		await screen.type(keys.down, keys.down);
		assert.match(screen.lastFrame(), /\(3-23\/100\)/);
		assert.ok(fits(screen.lastFrame(), terminal).ok, JSON.stringify(fits(screen.lastFrame(), terminal)));
		screen.unmount();
	});
});

test('colours are off when NO_COLOR is set', () => {
	const saved = process.env.NO_COLOR;
	process.env.NO_COLOR = '1';
	assert.equal(tone('ok'), undefined);
	delete process.env.NO_COLOR;
	assert.equal(tone('ok'), 'green');
	if (saved !== undefined) process.env.NO_COLOR = saved;
});
