/**
 * Any terminal: ASCII under a non-UTF-8 locale or a vt100-like TERM (every byte the wizard
 * writes), truncation instead of wrapping below 80 columns, one clear screen below 60x20.
 */
import assert from 'node:assert/strict';
import {afterEach, beforeEach, describe, test} from 'node:test';
import type {ReactElement} from 'react';
import {ChecksScreen} from '../../source/ui/ChecksScreen.js';
import {DoneScreen, RollbackDoneScreen} from '../../source/ui/DoneScreen.js';
import {HelpScreen} from '../../source/ui/HelpScreen.js';
import {HomeScreen} from '../../source/ui/HomeScreen.js';
import {ReviewScreen} from '../../source/ui/ReviewScreen.js';
import {RunScreen} from '../../source/ui/RunScreen.js';
import {reduceRun} from '../../source/ui/run-state.js';
import {asciiOnly, charset, toAscii} from '../../source/ui/terminal.js';
import {TextScreen} from '../../source/ui/TextScreen.js';
import {fit, truncate} from '../../source/ui/theme.js';
import {checks, health, overview, review} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt, tick} from '../harness/render.js';
import {runningView} from '../harness/run-views.js';
import {wizard} from '../harness/wizard.js';

afterEach(cleanup);

describe('which glyphs a terminal gets', () => {
	const cases: Array<[string, NodeJS.ProcessEnv, 'ascii' | 'unicode']> = [
		['a UTF-8 LANG in xterm', {LANG: 'en_US.UTF-8', TERM: 'xterm-256color'}, 'unicode'],
		['C.UTF-8 spelt utf8', {LANG: 'C.utf8', TERM: 'xterm'}, 'unicode'],
		['LANG=C', {LANG: 'C', TERM: 'xterm'}, 'ascii'],
		['LANG=POSIX', {LANG: 'POSIX', TERM: 'xterm'}, 'ascii'],
		['no locale at all is the C locale', {TERM: 'xterm'}, 'ascii'],
		['a Latin-1 locale', {LANG: 'de_DE.ISO-8859-1', TERM: 'xterm'}, 'ascii'],
		['LC_ALL wins over LANG', {LC_ALL: 'C', LANG: 'en_US.UTF-8', TERM: 'xterm'}, 'ascii'],
		['LC_ALL wins over LC_CTYPE', {LC_ALL: 'en_US.UTF-8', LC_CTYPE: 'C', TERM: 'xterm'}, 'unicode'],
		['LC_CTYPE wins over LANG', {LC_CTYPE: 'C', LANG: 'en_US.UTF-8', TERM: 'xterm'}, 'ascii'],
		['an empty LC_ALL is not set', {LC_ALL: '', LANG: 'en_US.UTF-8', TERM: 'xterm'}, 'unicode'],
		['TERM=dumb', {LANG: 'en_US.UTF-8', TERM: 'dumb'}, 'ascii'],
		['TERM=vt100', {LANG: 'en_US.UTF-8', TERM: 'vt100'}, 'ascii'],
		['TERM=vt220', {LANG: 'en_US.UTF-8', TERM: 'vt220'}, 'ascii'],
		['the Linux console', {LANG: 'en_US.UTF-8', TERM: 'linux'}, 'ascii'],
		['screen keeps Unicode', {LANG: 'en_US.UTF-8', TERM: 'screen-256color'}, 'unicode'],
		['tmux keeps Unicode', {LANG: 'en_US.UTF-8', TERM: 'tmux-256color'}, 'unicode'],
		['xterm keeps Unicode', {LANG: 'en_US.UTF-8', TERM: 'xterm'}, 'unicode'],
		['NETMIGRATE_GLYPHS=ascii overrides', {LANG: 'en_US.UTF-8', TERM: 'xterm', NETMIGRATE_GLYPHS: 'ascii'}, 'ascii'],
		['NETMIGRATE_GLYPHS=unicode overrides', {LANG: 'C', TERM: 'vt100', NETMIGRATE_GLYPHS: 'unicode'}, 'unicode'],
	];
	for (const [name, env, expected] of cases) test(name, () => assert.equal(charset(env), expected));
});

describe('the ASCII net for text the UI does not own', () => {
	const cases: Array<[string, string]> = [
		['recreate gluetun → qbittorrent', 'recreate gluetun > qbittorrent'],
		['✔ done · ✖ failed — “quoted” …', 'v done . x failed - "quoted" .'],
		['# Kommentar: Größe café', '# Kommentar: Groe cafe'.replace('Groe', 'Gro?e')],
		['╭─╮│╰╯', '+-+|++'],
		['✅ ok ❌', '?? ok ??'],
		['e\u0301', 'e'],
		['plain ASCII stays', 'plain ASCII stays'],
	];
	for (const [input, expected] of cases) test(JSON.stringify(input), () => assert.equal(toAscii(input), expected));

	test('the wrapped stdout writes only ASCII and keeps the rest of the stream', () => {
		const written: string[] = [];
		const stream = Object.assign(new (class extends EventTarget {})(), {columns: 61, write: (chunk: string) => written.push(chunk)});
		const ascii = asciiOnly(stream);
		ascii.write('→ é ✅');
		assert.deepEqual(written, ['> e ??']);
		assert.equal(ascii.columns, 61);
	});
});

const isAscii = (text: string) => [...Buffer.from(text, 'utf8')].every((byte) => byte < 0x80);

describe('ASCII mode: every byte of every frame', () => {
	beforeEach(() => {
		process.env.NETMIGRATE_GLYPHS = 'ascii';
	});
	afterEach(() => {
		process.env.NETMIGRATE_GLYPHS = 'unicode';
	});

	const failed = () =>
		reduceRun(runningView(), {
			type: 'step-failed',
			step: 'multihome',
			title: 'Multi-home services',
			error: 'container sonarr is exited, not running',
			hint: 'start it and resume',
		});
	const gate = {title: 'Update firewall allow-lists', actions: ['write qbittorrent/docker-compose.yml', 'recreate gluetun']};
	const summary = {
		status: 'done' as const,
		iteration: 'network-foundation',
		index: 0,
		durationMs: 8100,
		report: '/srv/media/.netmigrate/reports/01.md',
		checks,
		health,
		restarts: [],
		networksCreated: 6,
		servicesMultihomed: 17,
		movedRoutes: [{container: 'traefik', before: 'media-network', after: 'dmz-net'}],
	};
	const screens: Array<[string, () => ReactElement, RegExp]> = [
		[
			'home with an interrupted run',
			() => (
				<HomeScreen
					overview={overview({
						statuses: ['failed', 'pending', 'pending'],
						interruptedAt: 'Multi-home services',
						error: 'the engine is not answering',
					})}
					width={80}
					onChoose={() => {}}
				/>
			),
			/^\+-+\+$/m,
		],
		[
			'home',
			() => <HomeScreen overview={overview({statuses: ['done', 'pending', 'pending']})} width={80} onChoose={() => {}} />,
			/> Start iteration 2: port-consolidation/,
		],
		[
			'review',
			() => <ReviewScreen review={review()} width={80} height={24} onConfirm={() => {}} onBack={() => {}} />,
			/network-foundation \| mode live \| 31 actions/,
		],
		[
			'run, a step running',
			() => <RunScreen view={runningView()} width={80} height={24} stopping={false} onGate={() => {}} onFailure={() => {}} />,
			/^v Preflight/m,
		],
		[
			'run, the gate',
			() => (
				<RunScreen
					view={runningView()}
					width={80}
					height={24}
					gate={gate}
					stopping={false}
					onGate={() => {}}
					onFailure={() => {}}
				/>
			),
			/Next: Update firewall allow-lists - 2 actions/,
		],
		[
			'run, a failure',
			() => <RunScreen view={failed()} width={80} height={24} stopping={false} onGate={() => {}} onFailure={() => {}} />,
			/\| x container sonarr is exited/,
		],
		[
			'checks',
			() => <ChecksScreen title="Checks of iteration 1" checks={checks} health={health} width={80} height={24} onBack={() => {}} />,
			/^x sonarr/m,
		],
		['done', () => <DoneScreen summary={summary} width={80} onHome={() => {}} />, /traefik -> dmz-net/],
		[
			'rollback done',
			() => (
				<RollbackDoneScreen
					result={{
						iteration: 'network-foundation',
						index: 0,
						durationMs: 4300,
						restoredFiles: ['a'],
						mergedFiles: [],
						verified: ['12 files byte-identical (sha256)'],
						nothingToDo: false,
					}}
					onHome={() => {}}
				/>
			),
			/^v Iteration 1/m,
		],
		[
			'a text page',
			() => (
				<TextScreen
					title="Journal"
					lines={Array.from({length: 40}, (_, index) => `line ${index} ${'x'.repeat(100)}`)}
					width={80}
					height={24}
					onBack={() => {}}
				/>
			),
			/x\.\.\.$/m,
		],
		['help', () => <HelpScreen topic="review" width={80} onClose={() => {}} />, /Left\/Right, Tab/],
	];
	for (const [name, screen, glyph] of screens) {
		test(name, async () => {
			const rendered = await renderAt(screen());
			await tick(250);
			assert.ok(isAscii(rendered.written()), `non-ASCII bytes in:\n${rendered.written().replace(/[\u0000-\u007F]/g, '')}`);
			assert.match(rendered.lastFrame(), glyph);
			rendered.unmount();
		});
	}

	test('truncation marks the cut with ... ', () => {
		assert.equal(fit('connect sonarr to download-net', 12), 'connect s...');
		assert.equal(truncate('abc', 3), 'abc');
	});
});

describe('narrow and small terminals', () => {
	for (const [size, glyphs] of [
		[{columns: 60, rows: 20}, 'unicode'],
		[{columns: 60, rows: 20}, 'ascii'],
		[{columns: 70, rows: 22}, 'unicode'],
	] as const) {
		test(`at ${size.columns}x${size.rows} in ${glyphs} every screen truncates instead of wrapping`, async () => {
			process.env.NETMIGRATE_GLYPHS = glyphs;
			const done = {
				status: 'done' as const,
				iteration: 'network-foundation',
				index: 0,
				durationMs: 8100,
				checks,
				health,
				restarts: [{services: ['gluetun', 'qbittorrent', 'sabnzbd', 'another-downloader'], durationMs: 2300}],
				networksCreated: 6,
				servicesMultihomed: 17,
				movedRoutes: [{container: 'traefik', before: 'media-network', after: 'dmz-net'}],
				report: '/srv/media/.netmigrate/reports/01-network-foundation-2026-11-23T16-40-00.md',
			};
			const resumed = {...runningView(), resumed: true};
			const long = overview({
				statuses: ['failed', 'pending', 'pending'],
				interruptedAt: 'Multi-home services',
				error: 'the Docker engine is not answering (ECONNREFUSED) at unix:///var/run/docker.sock after 3 tries',
			});
			const trees = [
				<HomeScreen overview={long} width={size.columns} height={size.rows} onChoose={() => {}} />,
				<ReviewScreen review={review()} width={size.columns} height={size.rows} onConfirm={() => {}} onBack={() => {}} />,
				<RunScreen
					view={runningView()}
					width={size.columns}
					height={size.rows}
					stopping={false}
					onGate={() => {}}
					onFailure={() => {}}
				/>,
				<ChecksScreen
					title="Checks of iteration 1: network-foundation"
					checks={checks}
					health={health}
					width={size.columns}
					height={size.rows}
					onBack={() => {}}
				/>,
				<RunScreen
					view={resumed}
					width={size.columns}
					height={size.rows}
					stopping={false}
					onGate={() => {}}
					onFailure={() => {}}
				/>,
				<DoneScreen summary={done} width={size.columns} onHome={() => {}} />,
				<TextScreen title="Journal" lines={['x'.repeat(200)]} width={size.columns} height={size.rows} onBack={() => {}} />,
			];
			for (const tree of trees) {
				const rendered = await renderAt(tree, size);
				const frame = rendered.lastFrame();
				assert.ok(fits(frame, size).ok, `${JSON.stringify(fits(frame, size))}\n${frame}`);
				rendered.unmount();
			}
			process.env.NETMIGRATE_GLYPHS = 'unicode';
		});
	}

	test('below 60x20 the wizard says what size it needs, and comes back when resized', async () => {
		const {exits, tree} = wizard();
		const rendered = await renderAt(tree, {columns: 50, rows: 15});
		let frame = await rendered.waitFor((text) => /needs a terminal of at least 60x20;\s+this one is 50x15/.test(text));
		assert.doesNotMatch(frame, /Start iteration/);
		assert.ok(fits(frame, {columns: 50, rows: 15}).ok, frame);
		await rendered.resize(80, 24);
		frame = await rendered.waitFor((text) => /Start iteration 1: network-foundation/.test(text));
		assert.doesNotMatch(frame, /needs a terminal/);
		await rendered.type(keys.down);
		await rendered.resize(59, 24);
		await rendered.waitFor((text) => /this\s+one\s+is\s+59x24/.test(text));
		await rendered.resize(80, 24);
		frame = await rendered.waitFor((text) => /Review the plan/.test(text));
		assert.match(frame, /❯ Review the plan/, 'the menu kept its place while hidden');
		assert.deepEqual(exits, []);
	});
});
