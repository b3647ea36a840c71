/**
 * `ports:` entries read as compose reads them, after interpolation (issue 23): a host port
 * written `${BIND_LAN:?err}:${PORT_JELLYFIN_WEB:?err}:8096` was split on the `:` inside `${…}`
 * and unpublishing it failed with "it publishes ?err}". These tests hold the parser to compose's
 * short and long syntax, the edit to the text as written, and the failure to the step it is in.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {parse} from 'yaml';
import {loopbackOnly, parsePort} from '../../source/compose/ports.js';
import {NetmigrateError} from '../../source/errors.js';
import {loadPlan} from '../../source/plan/load.js';
import {publishedFor} from '../../source/plan/listening.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIteration, StepPlanningFailed} from '../../steps/index.js';
import {edit} from '../harness/edit.js';
import {removeStack, writeStack} from '../harness/stack.js';

const roots: string[] = [];
after(() => roots.forEach(removeStack));

const jellyfin = [
	'name: media',
	'services:',
	'  jellyfin:',
	'    image: lscr.io/linuxserver/jellyfin:latest',
	'    ports:',
	'      - "${BIND_LAN:?err}:${PORT_JELLYFIN_WEB:?err}:8096"  # web UI',
	'      - "${BIND_LAN:?err}:${PORT_JELLYFIN_DLNA:-1900}:1900/udp"',
	'      - ${PORT_JELLYFIN_HTTPS:-8920}:8920',
	'    networks: [media]',
	'networks:',
	'  media: {name: media-network}',
	'',
].join('\n');
const env = 'BIND_LAN=192.168.1.20\nPORT_JELLYFIN_WEB=18096\n';

describe('ports as compose reads them', () => {
	test('short syntax: host address, host port, container port and protocol, IPv6 bracketed or bare, ranges', () => {
		const read = (entry: unknown) => parsePort(entry);
		assert.deepEqual(read('8096'), {target: '8096', protocol: 'tcp'});
		assert.deepEqual(read(8096), {target: '8096', protocol: 'tcp'});
		assert.deepEqual(read('18096:8096'), {published: '18096', target: '8096', protocol: 'tcp'});
		assert.deepEqual(read('192.168.1.20:18096:8096/tcp'), {
			hostIp: '192.168.1.20',
			published: '18096',
			target: '8096',
			protocol: 'tcp',
		});
		assert.deepEqual(read('[::1]:18096:8096'), {hostIp: '::1', published: '18096', target: '8096', protocol: 'tcp'});
		assert.deepEqual(read('::1:18096:8096'), {hostIp: '::1', published: '18096', target: '8096', protocol: 'tcp'});
		assert.deepEqual(
			read('127.0.0.1::8096'),
			{hostIp: '127.0.0.1', target: '8096', protocol: 'tcp'},
			'an empty host port lets the engine pick',
		);
		assert.deepEqual(read('6881-6889:6881-6889/udp'), {published: '6881-6889', target: '6881-6889', protocol: 'udp'});
		assert.equal(read('?err}:8096x'), undefined, 'not a port entry');
	});

	test('long syntax, host_ip included; loopback-only bindings are told apart', () => {
		assert.deepEqual(parsePort({target: 8096, published: '18096', host_ip: '127.0.0.1', protocol: 'tcp'}), {
			hostIp: '127.0.0.1',
			published: '18096',
			target: '8096',
			protocol: 'tcp',
		});
		assert.deepEqual(parsePort({target: 53, protocol: 'UDP'}), {target: '53', protocol: 'udp'});
		const loopback = ['127.0.0.1:9000:9000', '[::1]:9000:9000', {target: 9000, published: 9000, host_ip: '127.0.0.1'}];
		assert.deepEqual(
			loopback.map((entry) => loopbackOnly(parsePort(entry) as never)),
			[true, true, true],
		);
		assert.deepEqual(
			['9000:9000', '0.0.0.0:9000:9000', '192.168.1.20:9000:9000'].map((entry) => loopbackOnly(parsePort(entry) as never)),
			[false, false, false],
		);
	});

	test('the host ports a service publishes for a container port, from interpolated values', () => {
		assert.deepEqual(publishedFor(['192.168.1.20:18096:8096', '192.168.1.20:1900:1900/udp', {target: 8096, published: 28096}], 8096), [
			'18096',
			'28096',
		]);
	});

	test('unpublishing an interpolated host port removes the entry as written, ${…} and comments of the others kept', () => {
		const {text} = edit({'docker-compose.yml': jellyfin, '.env': env}, (editor) => editor.removePorts('jellyfin', ['18096', '8920']));
		const written = text('docker-compose.yml') as string;
		assert.ok(!written.includes('PORT_JELLYFIN_WEB'), 'the web UI entry is gone');
		assert.ok(!written.includes('PORT_JELLYFIN_HTTPS'), 'the defaulted entry is gone');
		assert.ok(
			written.includes('      - "${BIND_LAN:?err}:${PORT_JELLYFIN_DLNA:-1900}:1900/udp"\n'),
			'the other entry is byte-identical',
		);
		assert.deepEqual(parse(written).services.jellyfin.ports, ['${BIND_LAN:?err}:${PORT_JELLYFIN_DLNA:-1900}:1900/udp']);
	});

	test('a port it does not publish is refused with the interpolated ports it does publish', () => {
		assert.throws(
			() => edit({'docker-compose.yml': jellyfin, '.env': env}, (editor) => editor.removePorts('jellyfin', ['8096'])),
			(error: NetmigrateError) =>
				/does not publish host port 8096/.test(error.message) && /it publishes 18096, 1900, 8920;/.test(error.hint ?? ''),
		);
	});

	test('a plan unpublishing the interpolated port validates and plans the edit', () => {
		const root = writeStack({'docker-compose.yml': jellyfin, '.env': env, 'netmigrate.yml': plan('jellyfin: ["18096"]')});
		roots.push(root);
		const loaded = loadPlan(path.join(root, 'netmigrate.yml'));
		const planned = planIteration(loaded.plan, 0, loaded.project, discoveredFromFiles());
		const ports = planned.steps.find((step) => step.name === 'ports');
		assert.deepEqual(
			ports?.actions.map((action) => action.kind),
			['file.write', 'service.recreate'],
		);
		assert.ok(!planned.files[0]?.after.includes('PORT_JELLYFIN_WEB'));
	});
});

describe('a failure is labelled with the step it happened in', () => {
	test('a refusal while planning the ports step names the ports step, not the first step planned', () => {
		const inherited = [
			'name: media',
			'x-ports: &ports',
			'  ports: ["18096:8096"]',
			'services:',
			'  jellyfin:',
			'    image: jellyfin/jellyfin',
			'    <<: *ports',
			'    networks: [media]',
			'networks:',
			'  media: {name: media-network}',
			'',
		].join('\n');
		const root = writeStack({'docker-compose.yml': inherited, 'netmigrate.yml': plan('jellyfin: ["18096"]')});
		roots.push(root);
		const loaded = loadPlan(path.join(root, 'netmigrate.yml'));
		assert.throws(
			() => planIteration(loaded.plan, 0, loaded.project, discoveredFromFiles()),
			(error: unknown) =>
				error instanceof StepPlanningFailed &&
				error.step.name === 'ports' &&
				error.step.title === 'Unpublish ports' &&
				/inherited through a merge key/.test(error.message),
		);
	});
});

function plan(unpublish: string): string {
	return [
		'version: 1',
		'stack: {root: ., files: [docker-compose.yml], project: media}',
		'legacy: media-network',
		'networks: {}',
		'iterations:',
		'  - name: one',
		`    unpublish: {${unpublish}}`,
		'',
	].join('\n');
}
