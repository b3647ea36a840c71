/**
 * Which address a rollback's recreate or reconnect asks for (source/engine/keep-addresses.ts):
 * the one the backup recorded for that container on that network, unless the stack pins one
 * there — then the pin is the stack's own, restored with its files — or the endpoint already
 * asks for one.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ContainerInfo} from '../../source/domain.js';
import {addressToKeep, type AddressesToKeep} from '../../source/engine/keep-addresses.js';

const container = (name: string, slot?: string): ContainerInfo => ({
	id: 'a1'.repeat(32),
	name,
	...(slot ? {slot} : {}),
	service: 'sonarr',
	state: 'created',
	pid: 0,
	health: 'none',
	networkMode: 'arrs-flat',
	networks: [],
	env: [],
	image: 'netmigrate/busybox:1',
	labels: {},
});

const keep: AddressesToKeep = {
	book: {'arrs-sonarr-1': {'arrs-flat': '172.30.0.4', 'arrs-apps': '172.31.0.4'}, 'media_traefik.1': {'media-overlay': '10.0.1.5'}},
	record: {
		'arrs-sonarr-1': {
			service: 'sonarr',
			networks: [
				{network: 'arrs-flat', aliases: ['sonarr']},
				{network: 'arrs-apps', aliases: ['sonarr'], ipv4Address: '172.31.0.4'},
			],
		},
	},
};

test('the recorded address on a network where the stack pins none is asked for', () => {
	assert.equal(addressToKeep(container('arrs-sonarr-1'), {network: 'arrs-flat'}, keep), '172.30.0.4');
});

test('none where the stack pins the address, where the endpoint asks for one already, or where nothing was recorded', () => {
	assert.equal(addressToKeep(container('arrs-sonarr-1'), {network: 'arrs-apps'}, keep), undefined, "the stack's own pin");
	assert.equal(addressToKeep(container('arrs-sonarr-1'), {network: 'arrs-flat', pinnedIPv4: '172.30.0.9'}, keep), undefined);
	assert.equal(addressToKeep(container('arrs-sonarr-1'), {network: 'dmz-net'}, keep), undefined, 'a network it joined since');
	assert.equal(addressToKeep(container('arrs-radarr-1'), {network: 'arrs-flat'}, keep), undefined, 'a container it did not have');
});

test('a container is looked up by its slot where it has one, as the backup records it', () => {
	assert.equal(addressToKeep(container('media_traefik.1.x7k2', 'media_traefik.1'), {network: 'media-overlay'}, keep), '10.0.1.5');
});
