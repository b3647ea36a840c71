/**
 * The reachability matrix's two readings that need no engine: which ports a namespace listens on
 * for others (from /proc/net/tcp{,6} text), and the connect-all script, run by the static busybox
 * shell the probe image is built from, with a stand-in `nc` on its PATH (no packet is sent): it
 * prints each open target once, nothing for a closed one, and starts its connects a batch at a
 * time: the whole batch in flight at once, the next only when the last has ended.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {findStaticBusybox} from '../../source/engine/image.js';
import {connectAllScript, connectResults, listeningPorts} from '../../source/engine/connect-script.js';

const tcpHeader = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

test('listening ports: LISTEN sockets on any address but loopback, both families, each port once', () => {
	const tcp = [
		tcpHeader,
		'   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1',
		'   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2',
		'   2: 0B00110A:0FA0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3',
		'   3: 0B00110A:D431 0C00110A:0050 01 00000000:00000000 00:00000000 00000000     0        0 4',
	].join('\n');
	const tcp6 = [
		tcpHeader,
		'   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 0 0 0 0 0 5',
		'   1: 00000000000000000000000001000000:2328 00000000000000000000000000000000:0000 0A 0 0 0 0 0 6',
		'   2: 0000000000000000FFFF00000100007F:2329 00000000000000000000000000000000:0000 0A 0 0 0 0 0 7',
		'   3: 00000000000000000000000000000000:1F41 00000000000000000000000000000000:0000 0A 0 0 0 0 0 8',
	].join('\n');
	// 80 on both families once; 8080 on 127.0.0.1, 9000 on ::1 and 9001 on ::ffff:127.0.0.1 are
	// for the namespace alone; 4000 on 10.17.0.11 is for others; an established socket is no listener.
	assert.deepEqual(listeningPorts(tcp, tcp6), [80, 4000, 8001]);
	assert.deepEqual(listeningPorts('', ''), []);
});

test('connect results: the open lines, keyed by address and port; anything else is ignored', () => {
	const results = connectResults('10.1.0.2 80 open\nnoise\n10.1.0.3 8080 open\n\n');
	assert.deepEqual([...results.keys()], ['10.1.0.2 80', '10.1.0.3 8080']);
	assert.equal(results.get('10.1.0.9 80'), undefined);
});

test('the connect-all script, by busybox sh: each open target printed once, closed ones silent, a batch started whole and waited for before the next', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'nm-connect-all-'));
	try {
		const busybox = findStaticBusybox();
		symlinkSync(busybox, path.join(dir, 'sh'));
		// A stand-in nc, as a shell function: busybox sh runs its own applets before the PATH, and
		// a function before both. `nc -w T ADDRESS PORT -e PROG…` logs its start and end; 0.1.*
		// opens (runs PROG in its own process, as nc does on connect), 0.2.* is closed after a
		// while, as a dropped SYN is. Were the real nc reached, 0.0.0.0/8 would go nowhere.
		const standIn = [
			'nc() {',
			'  echo "start $3" >> "$NC_LOG"',
			'  address=$3',
			'  shift 5',
			'  case $address in',
			'    0.1.*) sleep 0.05; echo "end $address" >> "$NC_LOG"; exec "$@" ;;',
			'    *) sleep 0.3; echo "end $address" >> "$NC_LOG"; return 1 ;;',
			'  esac',
			'}',
		].join('\n');
		const targets = Array.from({length: 24}, (_, index) => [`0.${(index % 2) + 1}.0.${index + 2}`, String(80 + index)]);
		const log = path.join(dir, 'nc.log');
		const run = await execa(path.join(dir, 'sh'), ['-c', `${standIn}\n${connectAllScript(1, 4)}`, 'connect-all', ...targets.flat()], {
			env: {PATH: dir, NC_LOG: log},
			extendEnv: false,
		});
		const open = connectResults(run.stdout);
		assert.deepEqual(
			[...open.keys()].sort(),
			targets
				.filter(([address]) => address?.startsWith('0.1.'))
				.map(([address, port]) => `${address} ${port}`)
				.sort(),
		);
		assert.equal(run.stdout.trim().split('\n').length, open.size, 'one line per open target, none for a closed one');
		// 24 connects in batches of 4: six times, four start and all four end before the next start.
		let running = 0;
		let started = 0;
		const batches: number[] = [];
		for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
			running += line.startsWith('start') ? 1 : -1;
			if (line.startsWith('start')) started++;
			if (running === 0) {
				batches.push(started);
				started = 0;
			}
		}
		assert.deepEqual(batches, [4, 4, 4, 4, 4, 4], 'a batch is started whole, and the next not before it has ended');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
