/**
 * A probe task's answer comes back through the swarm's logs: framed, and possibly read before
 * the task's last lines arrived. These pin how it is read.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {probeOutcome, taskOutcome, taskScript} from '../../source/engine/probe-script.js';
import {demultiplex} from '../../source/engine/probe-task.js';

const frame = (stream: number, text: string) => {
	const payload = Buffer.from(text, 'utf8');
	const header = Buffer.alloc(8);
	header[0] = stream;
	header.writeUInt32BE(payload.length, 4);
	return Buffer.concat([header, payload]);
};

const answer = [
	'--- resolve',
	'Server:\t\t127.0.0.11',
	'Address:\t127.0.0.11:53',
	'',
	'Non-authoritative answer:',
	'Name:\tsonarr',
	'Address: 10.231.12.4',
	'',
	'--- probe',
	'address=10.231.12.4',
	'ms=0.4',
	'tcp=open',
	'  HTTP/1.1 200 OK',
	'--- end',
	'',
].join('\n');

test('a framed log is unframed, stdout and stderr in order; an unframed one is read as it is', () => {
	const raw = Buffer.concat([frame(1, '--- resolve\n'), frame(2, 'warning\n'), frame(1, '--- end\n')]);
	assert.equal(demultiplex(raw), '--- resolve\nwarning\n--- end\n');
	assert.equal(demultiplex('--- resolve\n--- end\n'), '--- resolve\n--- end\n');
});

test('a finished answer gives what the name resolved to, the address probed and the probe', () => {
	assert.deepEqual(taskOutcome(answer), {
		finished: true,
		resolved: ['10.231.12.4'],
		address: '10.231.12.4',
		probe: {connected: true, httpStatus: 200, latencyMs: 0.4, detail: 'tcp=open HTTP/1.1 200 OK'},
	});
});

test('a log read before the end marker is not finished; a name that resolved to nothing gives no probe', () => {
	assert.equal(taskOutcome(answer.split('--- end')[0] as string).finished, false);
	assert.deepEqual(taskOutcome('--- resolve\n--- probe\ntcp=unresolved\n--- end\n'), {finished: true, resolved: []});
});

test("a closed port is not connected, and the resolver's own address is never taken for the target's", () => {
	const closed = answer.replace('ms=0.4\ntcp=open\n  HTTP/1.1 200 OK', 'tcp=closed');
	assert.deepEqual(taskOutcome(closed).probe, {connected: false, detail: 'tcp=closed'});
	assert.deepEqual(probeOutcome('tcp=closed'), {connected: false, detail: 'tcp=closed'});
});

test('the task script passes its inputs as arguments, never inside the script text', () => {
	const script = taskScript(2);
	assert.doesNotMatch(script, /sonarr|10\.231/);
	assert.match(script, /nslookup "\$3"/);
	assert.match(script, /set -- "http:\/\/\$addr:\$2\/" "\$addr" "\$2"/);
});
