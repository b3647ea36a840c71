import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {afterEach, describe, test} from 'node:test';
import {execa} from 'execa';
import {HomeScreen} from '../../source/ui/HomeScreen.js';
import {KeyStream} from '../../source/ui/key-stream.js';
import {splitKeys} from '../../source/ui/split-keys.js';
import {overview} from '../harness/fixtures.js';
import {cleanup, renderAt, tick} from '../harness/render.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';

const ESC = '\u001B';

describe('splitKeys: one read into its keys', () => {
	const cases: Array<[string, string, string[], string?]> = [
		['three arrows and Enter', `${ESC}[B${ESC}[B${ESC}[A\r`, [`${ESC}[B`, `${ESC}[B`, `${ESC}[A`, '\r']],
		['plain letters one by one', 'jjq', ['j', 'j', 'q']],
		['letter then Enter', 'y\r', ['y', '\r']],
		['Enter twice', '\r\r', ['\r', '\r']],
		['CR LF is two keys', '\r\n', ['\r', '\n']],
		['Tab, Backspace, Ctrl-C', '\t\u007F\u0003', ['\t', '\u007F', '\u0003']],
		['CSI with parameters: PgDn, Shift-Right, Delete', `${ESC}[6~${ESC}[1;2C${ESC}[3~`, [`${ESC}[6~`, `${ESC}[1;2C`, `${ESC}[3~`]],
		['SS3 (application cursor keys, F1)', `${ESC}OA${ESC}OP`, [`${ESC}OA`, `${ESC}OP`]],
		['Linux console function key', `${ESC}[[A${ESC}[B`, [`${ESC}[[A`, `${ESC}[B`]],
		['Meta-prefixed letter then a letter', `${ESC}xq`, [`${ESC}x`, 'q']],
		['Meta + arrow', `${ESC}${ESC}[A${ESC}[B`, [`${ESC}${ESC}[A`, `${ESC}[B`]],
		['double Escape', `${ESC}${ESC}q`, [ESC, `${ESC}q`]],
		['kitty protocol key', `${ESC}[97;5uq`, [`${ESC}[97;5u`, 'q']],
		['multi-byte UTF-8 letters', 'éü✓', ['é', 'ü', '✓']],
		['emoji outside the BMP and with a modifier', '👍🏽x', ['👍🏽', 'x']],
		['combining mark stays with its letter', 'e\u0301q', ['e\u0301', 'q']],
		['a bracketed paste is one key', `${ESC}[200~q\rhello ${ESC}[B${ESC}[201~j`, [`${ESC}[200~q\rhello ${ESC}[B${ESC}[201~`, 'j']],
		['lone ESC at the end waits for more', `q${ESC}`, ['q'], ESC],
		['cut-off CSI waits for more', `j${ESC}[1;`, ['j'], `${ESC}[1;`],
		['cut-off SS3 waits for more', `${ESC}O`, [], `${ESC}O`],
		['an open paste waits for its end', `${ESC}[200~abc`, [], `${ESC}[200~abc`],
		['empty read', '', []],
	];
	for (const [name, input, keys, rest = ''] of cases) {
		test(name, () => {
			assert.deepEqual(splitKeys(input), {keys, rest});
		});
	}

	test('a sequence cut across two reads joins up when the rest is prepended', () => {
		const first = splitKeys(`${ESC}[B${ESC}[`);
		assert.deepEqual(first, {keys: [`${ESC}[B`], rest: `${ESC}[`});
		assert.deepEqual(splitKeys(`${first.rest}B\r`), {keys: [`${ESC}[B`, '\r'], rest: ''});
	});
});

/** ink-testing-library's stdin, as its source has it: write() sets the data and emits 'readable'. */
class TestingLibraryStdin extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	rawMode: boolean[] = [];
	refs = 0;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode(on: boolean) {
		this.rawMode.push(on);
	}
	ref() {
		this.refs++;
	}
	unref() {
		this.refs--;
	}
}

describe('KeyStream', () => {
	const readAll = (stream: KeyStream) => {
		const keys: string[] = [];
		stream.on('readable', () => {
			let key: string | null;
			while ((key = stream.read()) !== null) keys.push(key);
		});
		return keys;
	};

	test('hands Ink one key per read, in order', async () => {
		const source = new TestingLibraryStdin();
		const stream = new KeyStream(source);
		const keys = readAll(stream);
		await tick(5);
		source.write(`${ESC}[B${ESC}[Bq\r`);
		await until(() => keys.length >= 4);
		assert.deepEqual(keys, [`${ESC}[B`, `${ESC}[B`, 'q', '\r']);
	});

	test('a lone Escape arrives after a short wait; one cut across reads is joined', async () => {
		const source = new TestingLibraryStdin();
		const stream = new KeyStream(source, {escapeTimeoutMs: 10});
		const keys = readAll(stream);
		await tick(5);
		source.write(`${ESC}[`);
		source.write('A');
		source.write(ESC);
		await until(() => keys.length >= 2);
		assert.deepEqual(keys, [`${ESC}[A`, ESC]);
	});

	test('a bracketed paste reaches Ink as its bare text, in one read', async () => {
		const source = new TestingLibraryStdin();
		const stream = new KeyStream(source, {pasteTimeoutMs: 20});
		const keys = readAll(stream);
		await tick(5);
		source.write(`${ESC}[200~q\rline ${ESC}[Bend`);
		source.write(`${ESC}[201~j`);
		source.write(`${ESC}[200~never closed`);
		await until(() => keys.length >= 3);
		assert.deepEqual(keys, ['q\rline [Bend', 'j', 'never closed']);
	});

	test('raw mode, ref/unref and isTTY pass through; the source is read only while Ink listens', async () => {
		const source = new TestingLibraryStdin();
		const stream = new KeyStream(source);
		assert.equal(stream.isTTY, true);
		stream.setRawMode(true).ref();
		assert.deepEqual(source.rawMode, [true]);
		assert.equal(source.refs, 1);
		const listener = () => {};
		stream.on('readable', listener);
		await tick(1);
		assert.equal(source.listenerCount('readable'), 1);
		stream.removeListener('readable', listener);
		stream.setRawMode(false).unref();
		assert.equal(source.listenerCount('readable'), 0);
		assert.deepEqual(source.rawMode, [true, false]);
		assert.equal(source.refs, 0);
		assert.equal(new KeyStream(Object.assign(new TestingLibraryStdin(), {isTTY: false})).isTTY, false);
	});
});

/** Waits (up to 5 s, for a loaded machine) until the keys have had their effect. */
async function until(done: () => boolean): Promise<void> {
	const deadline = Date.now() + 5000;
	while (!done() && Date.now() < deadline) await tick(20);
}

describe('keys typed faster than the screen redraws', () => {
	test('↓ ↓ Enter in ONE write on the home screen chooses the third entry', async () => {
		const chosen: string[] = [];
		const screen = await renderAt(<HomeScreen overview={overview()} width={80} onChoose={(choice) => chosen.push(choice)} />);
		await screen.send(`${ESC}[B${ESC}[B\r`);
		await until(() => chosen.length > 0);
		assert.deepEqual(chosen, ['checks']);
		assert.match(screen.lastFrame(), /❯ Run checks only/);
		screen.unmount();
	});

	test('j j k Enter in one write moves down twice and up once', async () => {
		const chosen: string[] = [];
		const screen = await renderAt(<HomeScreen overview={overview()} width={80} onChoose={(choice) => chosen.push(choice)} />);
		await screen.send('jjk\r');
		await until(() => chosen.length > 0);
		assert.deepEqual(chosen, ['review']);
		screen.unmount();
	});

	test('a pasted "jj\\r" is one input, not three commands', async () => {
		const chosen: string[] = [];
		const screen = await renderAt(<HomeScreen overview={overview()} width={80} onChoose={(choice) => chosen.push(choice)} />);
		await screen.send(`${ESC}[200~jj\r${ESC}[201~`);
		assert.deepEqual(chosen, []);
		assert.match(screen.lastFrame(), /❯ Start iteration 1/);
		screen.unmount();
	});

	test('on a real pseudo-terminal (script), ↓ ↓ Enter in one read chooses the third entry', async () => {
		const command = `stty cols 80 rows 24; ${process.execPath} --import tsx test/harness/tty-home.tsx`;
		// CI=false as the CLI sets it on a real terminal: under CI=true Ink draws only the last frame, at exit.
		const child = execa('script', ['-qfec', command, '/dev/null'], {
			reject: false,
			timeout: 20_000,
			env: {TSX_TSCONFIG_PATH: 'tsconfig.test.json', CI: 'false'},
		});
		let seen = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			seen += chunk.toString();
			// The menu is drawn and, a moment later, raw mode is on (before it the pty's line
			// discipline would echo the keys and turn Enter into a newline): one write to the pty.
			if (/Quit/.test(seen) && !child.stdin?.writableEnded) setTimeout(() => child.stdin?.end(`${ESC}[B${ESC}[B\r`), 300);
		});
		const result = await child;
		assert.match(`${seen}${result.stderr}`, /chose checks/, `${seen}${result.stderr}`);
	});
});
