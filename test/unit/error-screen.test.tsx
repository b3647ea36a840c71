/**
 * The error screen (source/ui/ErrorScreen.tsx): an error that stopped the wizard before a run
 * could show it, with its fix, and the two ways on — home, or quit with exit code 2.
 */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {NetmigrateError, formatError} from '../../source/errors.js';
import {ErrorScreen} from '../../source/ui/ErrorScreen.js';
import {cleanup, fits, keys, renderAt} from '../harness/render.js';
import {fakeCore, wizard} from '../harness/wizard.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';

const invalidSubnet = new NetmigrateError('networks.dmz-net.subnet: 172.20.0.0/33 is not a CIDR', {
	where: {file: '/srv/media/netmigrate.yml', line: 14},
	hint: 'write it as an address and a prefix length, e.g. 172.20.0.0/24',
});

test('the message is boxed, its first line marked failed without the "error:" prefix, the fix under it, all within 80x24', async () => {
	const screen = await renderAt(<ErrorScreen message={formatError(invalidSubnet)} width={80} onBack={() => {}} onQuit={() => {}} />);
	const frame = screen.lastFrame();
	// The box wraps long lines: read its text as one line.
	const text = frame.replace(/[│\s]+/g, ' ');
	assert.match(frame, /^╭─+╮\n│ ✖ /);
	assert.match(text, / ✖ \/srv\/media\/netmigrate\.yml:14: networks\.dmz-net\.subnet: 172\.20\.0\.0\/33 is not a CIDR/);
	assert.doesNotMatch(frame, /error:/);
	assert.match(text, /fix: write it as an address and a prefix length/);
	assert.match(frame, /Enter home {2}· {2}q quit {2}· {2}\? keys/);
	assert.ok(fits(frame, {columns: 80, rows: 24}).ok, frame);
});

for (const [key, expected] of [
	[keys.enter, 'back'],
	[keys.escape, 'back'],
	['q', 'quit'],
] as const) {
	test(`${JSON.stringify(key)} ${expected === 'back' ? 'goes home' : 'quits'}`, async () => {
		const chosen: string[] = [];
		const screen = await renderAt(
			<ErrorScreen message="error: boom" width={80} onBack={() => chosen.push('back')} onQuit={() => chosen.push('quit')} />,
		);
		await screen.type(key);
		assert.deepEqual(chosen, [expected]);
	});
}

test('in the wizard: a plan that does not load shows the error screen, and q leaves with exit code 2', async () => {
	const {exits, tree} = wizard(
		fakeCore({
			loadOverview: async () => {
				throw invalidSubnet;
			},
		}),
	);
	const screen = await renderAt(tree);
	await screen.waitFor((frame) => /✖ .*\.subnet: 172\.20\.0\.0\/33/.test(frame));
	await screen.type('q');
	assert.deepEqual(exits, [2]);
});
