/**
 * The warning for an engine newer than the tested matrix (issue 23), as the wizard shows it:
 * in the review before the operator says yes (wrapped, read to the end) and in the run's log
 * when preflight prints it. Frames at 80×24.
 */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {ReviewScreen} from '../../source/ui/ReviewScreen.js';
import {RunScreen} from '../../source/ui/RunScreen.js';
import {initialRunView, reduceRun} from '../../source/ui/run-state.js';
import {engineWarnings} from '../../source/tested-engines.js';
import {stepInfos} from '../../steps/index.js';
import {review} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt} from '../harness/render.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';

const terminal = {columns: 80, rows: 24};
const warnings = engineWarnings({
	engineVersion: '29.8.1',
	composeVersion: '5.5.0',
	firewallBackend: 'nftables',
	followers: new Map([['gluetun', ['qbittorrent']]]),
});

test("the review's warnings name the newer engine and what differs there, wrapped to the width", async () => {
	const screen = await renderAt(
		<ReviewScreen review={{...review(), warnings}} width={80} height={24} onConfirm={() => {}} onBack={() => {}} />,
	);
	// To the Warnings tab, however many tabs come before it.
	for (let tab = 0; tab < 8 && !/Docker Engine 29/.test(screen.lastFrame()); tab++) await screen.type(keys.right);
	const frame = screen.lastFrame();
	assert.match(frame, /Docker Engine 29\.8\.1 is newer than the engines netmigrate is tested on/);
	assert.match(frame.replace(/\n\s*/g, ' '), /firewall backend is nftables .*moby #49981/);
	assert.ok(fits(frame, terminal).ok, JSON.stringify(fits(frame, terminal)));
	screen.unmount();
});

test("the run's log shows preflight's warning as a warning line", async () => {
	let view = initialRunView('apply', [], 'network-foundation', 0);
	const events = [
		{type: 'run-start', run: 'apply', iteration: 'network-foundation', index: 0, mode: 'live', resumed: false, steps: stepInfos},
		{type: 'step-start', step: 'preflight', title: 'Preflight', total: 0},
		{type: 'log', level: 'warn', message: warnings[0]},
		{type: 'step-done', step: 'preflight', title: 'Preflight', durationMs: 170, summary: 'ready'},
	];
	for (const event of events) view = reduceRun(view, event as never, Date.now());
	const screen = await renderAt(<RunScreen view={view} width={80} height={24} stopping={false} onGate={() => {}} onFailure={() => {}} />);
	assert.match(screen.lastFrame(), /! Docker Engine 29\.8\.1 is newer/);
	assert.ok(fits(screen.lastFrame(), terminal).ok);
	screen.unmount();
});
