/**
 * Actions: every change netmigrate makes to the host, as plain data. Steps compute them,
 * the dry run prints them, the executor journals and applies them, and rollback applies
 * their inverses newest first. A new kind fails to compile until `inverse` and `describe`
 * handle it.
 */
export type NetworkSpecData = {
	subnet: string;
	gateway?: string;
	internal: boolean;
	driver: string;
	labels: Record<string, string>;
};

export type NetworkCreate = {kind: 'network.create'; network: string} & NetworkSpecData;

/** Removes a network netmigrate created; refused while containers are attached. */
export type NetworkRemove = {kind: 'network.remove'; network: string} & NetworkSpecData;

export type NetworkConnect = {
	kind: 'network.connect';
	network: string;
	container: string;
	service: string;
	aliases: string[];
	ipv4?: string;
};

export type NetworkDisconnect = {
	kind: 'network.disconnect';
	network: string;
	container: string;
	service: string;
	/** What to reconnect with on rollback. */
	aliases: string[];
	ipv4?: string;
};

/** Writes a whole file atomically, keeping its mode; `before`/`after` are sha256 of the contents. */
export type FileWrite = {
	kind: 'file.write';
	path: string;
	mode: number;
	sha256Before: string;
	sha256After: string;
	/** The new contents (stored in the 0600 journal; shown only masked). */
	content: string;
	/** The contents it replaces, so the inverse is a write too. */
	previous: string;
	/** Why: "networks of traefik, jellyfin", "FIREWALL_OUTBOUND_SUBNETS of gluetun". */
	reason: string;
};

/**
 * `docker compose up -d --no-deps --force-recreate <service>`, then the same for every
 * service sharing its network namespace (they lose networking when it is recreated), in order,
 * each waited on until healthy.
 */
export type ServiceRecreate = {
	kind: 'service.recreate';
	service: string;
	dependents: string[];
	reason: string;
};

export type Action = NetworkCreate | NetworkRemove | NetworkConnect | NetworkDisconnect | FileWrite | ServiceRecreate;

export type ActionKind = Action['kind'];

export function inverse(action: Action): Action {
	switch (action.kind) {
		case 'network.create': {
			const {kind: _kind, ...rest} = action;
			return {kind: 'network.remove', ...rest};
		}
		case 'network.remove': {
			const {kind: _kind, ...rest} = action;
			return {kind: 'network.create', ...rest};
		}
		case 'network.connect': {
			const {kind: _kind, ...rest} = action;
			return {kind: 'network.disconnect', ...rest};
		}
		case 'network.disconnect': {
			const {kind: _kind, ...rest} = action;
			return {kind: 'network.connect', ...rest};
		}
		case 'file.write':
			return {
				...action,
				sha256Before: action.sha256After,
				sha256After: action.sha256Before,
				content: action.previous,
				previous: action.content,
				reason: `restore ${action.reason}`,
			};
		case 'service.recreate':
			// Recreating again after the files are restored brings back the old definition.
			return {...action, reason: `back to the restored definition (${action.reason})`};
	}
}

/** One line an operator reads in a plan, a log or the journal viewer; file paths relative to `root` when given. */
export function describe(action: Action, root?: string): string {
	switch (action.kind) {
		case 'network.create':
			return `create network ${action.network} (${action.subnet}${action.gateway ? ` gw ${action.gateway}` : ''}${action.internal ? ', internal' : ''})`;
		case 'network.remove':
			return `remove network ${action.network} (${action.subnet})`;
		case 'network.connect':
			return `connect ${action.container} to ${action.network} as ${action.aliases.join(', ')}`;
		case 'network.disconnect':
			return `disconnect ${action.container} from ${action.network}`;
		case 'file.write':
			return `write ${root && action.path.startsWith(`${root}/`) ? action.path.slice(root.length + 1) : action.path} (${action.reason})`;
		case 'service.recreate':
			return `recreate ${[action.service, ...action.dependents].join(' → ')} (${action.reason})`;
	}
}

/**
 * Network creates/removes and connects/disconnects each touch one object (a network or a
 * container) and may run side by side; the key says which object, so two never touch the
 * same one at once. Other kinds run alone, in order.
 */
export function concurrencyKey(action: Action): string | undefined {
	switch (action.kind) {
		case 'network.connect':
		case 'network.disconnect':
			return `container:${action.container}`;
		case 'network.create':
		case 'network.remove':
			return `network:${action.network}`;
		case 'file.write':
		case 'service.recreate':
			return undefined;
	}
}
