import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parse} from 'yaml';
import {publishedPort} from '../../source/compose/ports.js';
import {NetmigrateError} from '../../source/errors.js';
import {edit} from '../harness/edit.js';

describe('ports and detaching', () => {
	test('short and long port syntax are removed by host port; the last one removes `ports:`', () => {
		const files = {
			'docker-compose.yml': [
				'services:',
				'  jf:',
				'    image: jf',
				'    ports:',
				'      - "127.0.0.1:18096:8096"',
				'      - target: 8920',
				'        published: "18920"',
				'        protocol: tcp',
				'      - 1900:1900/udp',
				'  web:',
				'    image: web',
				'    ports: ["8080:80"]',
				'',
			].join('\n'),
		};
		const {text} = edit(files, (editor) => {
			editor.removePorts('jf', ['18096', '18920']);
			editor.removePorts('web', ['8080']);
		});
		const after = parse(text('docker-compose.yml') as string);
		assert.deepEqual(after.services.jf.ports, ['1900:1900/udp']);
		assert.equal(after.services.web.ports, undefined);
	});

	test('the published host port is read from every short form, IPv6 hosts included, and from long syntax', () => {
		assert.deepEqual(
			['8096', '18096:8096', '127.0.0.1:18096:8096/tcp', '[::1]:18096:8096', {target: 8096, published: '18096'}, {target: 8096}].map(
				publishedPort,
			),
			[undefined, '18096', '18096', '18096', '18096', undefined],
		);
	});

	test('removing a port the service does not publish says what it does publish', () => {
		assert.throws(
			() =>
				edit({'docker-compose.yml': 'services:\n  jf:\n    image: jf\n    ports: ["8096:8096"]\n'}, (editor) =>
					editor.removePorts('jf', ['9999']),
				),
			(error: NetmigrateError) => /does not publish host port 9999/.test(error.message) && /8096/.test(error.hint ?? ''),
		);
	});

	test('detaching removes the network from list and map forms; leaving none is refused', () => {
		const files = {
			'docker-compose.yml': [
				'services:',
				'  a:',
				'    image: a',
				'    networks: [media-network, frontend-net]',
				'  b:',
				'    image: b',
				'    networks:',
				'      media-network:',
				'      backend-net:',
				'        aliases: [bee]',
				'  c:',
				'    image: c',
				'    networks: [media-network]',
				'networks:',
				'  media-network: {external: true}',
				'  frontend-net: {external: true}',
				'  backend-net: {external: true}',
				'',
			].join('\n'),
		};
		const {text} = edit(files, (editor) => {
			editor.removeNetworks('a', ['media-network']);
			editor.removeNetworks('b', ['media-network']);
		});
		const after = parse(text('docker-compose.yml') as string);
		assert.deepEqual(after.services.a.networks, ['frontend-net']);
		assert.deepEqual(after.services.b.networks, {'backend-net': {aliases: ['bee']}});
		assert.throws(() => edit(files, (editor) => editor.removeNetworks('c', ['media-network'])), /left on no network/);
	});
});
