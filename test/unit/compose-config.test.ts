import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {ComposeEditor} from '../../source/compose/edits.js';
import {loadComposeProject} from '../../source/compose/project.js';
import {removeStack, writeStack} from '../harness/stack.js';

/**
 * `docker compose config` only reads files (no engine is involved). The compose plugin is part
 * of the test machine (test/harness/install-engine.sh); where it is missing these tests fail.
 */

const roots: string[] = [];
after(() => roots.forEach(removeStack));

test('compose itself reads the edited stack as before plus exactly the planned networks and variable', () => {
	const root = writeStack({
		'docker-compose.yml': readFileSync(path.join(import.meta.dirname, 'fixtures/compose/big-stack.yml'), 'utf8'),
		'.env': 'PUID=1000\nCF_DNS_API_TOKEN=cf\nTUNNEL_TOKEN=tt\nWIREGUARD_PRIVATE_KEY=wg\n',
	});
	roots.push(root);
	const file = path.join(root, 'docker-compose.yml');
	const config = () =>
		JSON.parse(
			execFileSync('docker', ['compose', '--project-directory', root, '-f', file, 'config', '--format', 'json'], {encoding: 'utf8'}),
		);
	const expected = config();
	const editor = new ComposeEditor(loadComposeProject(root, ['docker-compose.yml']));
	editor.addNetworksToServices([['jellyseerr', ['frontend-net']]]);
	editor.addNetworksToServices([['sonarr', ['download-net']]]);
	editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']);
	writeFileSync(file, editor.changes()[0]?.after ?? '');

	expected.services.jellyseerr.networks['frontend-net'] = null;
	expected.services.sonarr.networks['download-net'] = null;
	expected.services.gluetun.environment.FIREWALL_OUTBOUND_SUBNETS += ',172.20.0.0/16';
	for (const network of ['frontend-net', 'download-net']) expected.networks[network] = {name: network, ipam: {}, external: true};
	const actual = config();
	assert.deepEqual(actual, expected);
	assert.equal(actual.services.qbittorrent.environment.UMASK_SET, '18', 'compose still reads the inherited 022 as octal');
});

test('compose reads every value of a merged environment the same after one variable is overridden', () => {
	const values = [
		'UMASK: 002',
		'UMASK_SET: 022',
		'OCTAL: 0o750',
		'HEX: 0x1F',
		'DEBUG: no',
		'ENABLED: yes',
		'SWITCH: on',
		'SINCE: 2024-01-02',
		'VERSION: 1.10',
		"SINGLE: 'it''s'",
		'DOUBLE: "tab\\there"',
		'FOLDED: >-',
		'  folded',
		'  text',
	];
	const text = [
		'x-vpn: &vpn',
		'  image: qmcgaw/gluetun',
		'  environment:',
		...values.map((line) => `    ${line}`),
		'    FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16',
		'services:',
		'  vpn1:',
		'    <<: *vpn',
		'  vpn2:',
		'    <<: *vpn',
		'',
	].join('\n');
	const root = writeStack({'docker-compose.yml': text});
	roots.push(root);
	const file = path.join(root, 'docker-compose.yml');
	const config = () =>
		JSON.parse(
			execFileSync('docker', ['compose', '--project-directory', root, '-f', file, 'config', '--format', 'json'], {encoding: 'utf8'}),
		);
	const expected = config();
	const editor = new ComposeEditor(loadComposeProject(root, ['docker-compose.yml']));
	editor.ensureAllowList('vpn1', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']);
	writeFileSync(file, editor.changes()[0]?.after ?? '');
	expected.services.vpn1.environment.FIREWALL_OUTBOUND_SUBNETS = '172.18.0.0/16,172.20.0.0/16';
	assert.deepEqual(config(), expected);
	assert.deepEqual([expected.services.vpn1.environment.UMASK, expected.services.vpn1.environment.UMASK_SET], ['2', '18']);
});
