import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parse} from 'yaml';
import {mergeAllowList} from '../../source/compose/edits.js';
import {NetmigrateError} from '../../source/errors.js';
import {edit} from '../harness/edit.js';

describe('allow-list variables', () => {
	test('list form: KEY=a,b gets the new subnets appended once, order kept', () => {
		const files = {
			'docker-compose.yml':
				'services:\n  gluetun:\n    image: gluetun\n    environment:\n      - VPN_TYPE=wireguard\n      - FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24\n',
		};
		const {text} = edit(files, (editor) =>
			editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16', '172.18.0.0/16']),
		);
		assert.match(
			text('docker-compose.yml') as string,
			/- FIREWALL_OUTBOUND_SUBNETS=172\.18\.0\.0\/16,192\.168\.1\.0\/24,172\.20\.0\.0\/16\n/,
		);
	});

	test('map form: KEY: "a, b" keeps its quoting and separator style', () => {
		const files = {
			'docker-compose.yml':
				'services:\n  vpn:\n    image: vpn\n    environment:\n      LOCAL_NETWORK: "192.168.1.0/24, 172.18.0.0/16"\n',
		};
		const {text} = edit(files, (editor) => editor.ensureAllowList('vpn', 'LOCAL_NETWORK', ['172.20.3.0/24']));
		assert.match(text('docker-compose.yml') as string, /LOCAL_NETWORK: "192\.168\.1\.0\/24, 172\.18\.0\.0\/16, 172\.20\.3\.0\/24"/);
	});

	test('${KEY} from .env: the .env line is edited and the compose file is left alone', () => {
		const files = {
			'docker-compose.yml':
				'services:\n  gluetun:\n    image: gluetun\n    environment:\n      FIREWALL_OUTBOUND_SUBNETS: ${FIREWALL_OUTBOUND_SUBNETS}\n',
			'.env': '# network\nexport FIREWALL_OUTBOUND_SUBNETS="172.18.0.0/16" # lan\nTZ=UTC\n',
		};
		const {changes, text} = edit(files, (editor) => editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']));
		assert.equal(changes.length, 1);
		assert.equal(text('.env'), '# network\nexport FIREWALL_OUTBOUND_SUBNETS="172.18.0.0/16,172.20.0.0/16" # lan\nTZ=UTC\n');
	});

	test('${KEY} that .env does not set is a clear error with the fix', () => {
		const files = {
			'docker-compose.yml': 'services:\n  gluetun:\n    image: g\n    environment:\n      - FIREWALL_OUTBOUND_SUBNETS=${FW}\n',
			'.env': 'TZ=UTC\n',
		};
		assert.throws(
			() => edit(files, (editor) => editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16'])),
			(error: NetmigrateError) => /does not set FW/.test(error.message) && /add FW=/.test(error.hint ?? ''),
		);
	});

	test('a variable from an env_file is edited there', () => {
		const files = {
			'docker-compose.yml': 'services:\n  vpn:\n    image: vpn\n    env_file: vpn.env\n',
			'vpn.env': 'LOCAL_NETWORK=10.0.0.0/24\n',
		};
		const {text} = edit(files, (editor) => editor.ensureAllowList('vpn', 'LOCAL_NETWORK', ['172.20.0.0/16']));
		assert.equal(text('vpn.env'), 'LOCAL_NETWORK=10.0.0.0/24,172.20.0.0/16\n');
	});

	test('a variable inherited from an anchored environment is overridden on this service only', () => {
		const files = {
			'docker-compose.yml': [
				'x-env: &env',
				'  LOCAL_NETWORK: 10.0.0.0/24',
				'  TZ: UTC',
				'services:',
				'  a:',
				'    image: a',
				'    environment:',
				'      <<: *env',
				'  b:',
				'    image: b',
				'    environment: *env',
				'',
			].join('\n'),
		};
		const {text} = edit(files, (editor) => editor.ensureAllowList('a', 'LOCAL_NETWORK', ['172.20.0.0/16']));
		const resolved = parse(text('docker-compose.yml') as string, {merge: true});
		assert.equal(resolved.services.a.environment.LOCAL_NETWORK, '10.0.0.0/24,172.20.0.0/16');
		assert.equal(resolved.services.a.environment.TZ, 'UTC');
		assert.equal(resolved.services.b.environment.LOCAL_NETWORK, '10.0.0.0/24');
	});

	test('merging keeps order, drops duplicates and skips subnets a wider entry already covers', () => {
		assert.equal(mergeAllowList('172.18.0.0/16,192.168.1.0/24', ['172.20.0.0/16']), '172.18.0.0/16,192.168.1.0/24,172.20.0.0/16');
		assert.equal(mergeAllowList('172.20.0.0/16', ['172.20.3.0/24', '172.20.0.0/16']), '172.20.0.0/16');
		assert.equal(mergeAllowList('', ['10.0.0.0/8']), '10.0.0.0/8');
	});
});
