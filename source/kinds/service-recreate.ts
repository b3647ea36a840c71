/**
 * `service.recreate`: `docker compose up -d --no-deps --force-recreate <service>`, waited on until
 * healthy, then the services sharing its network namespace (they lose networking when it is
 * recreated) in bounded groups (source/namespace-recreate.ts; service-recreate.apply.ts).
 * Recreates of independent services run side by side: each waits for its own first healthcheck (a
 * minute, where stacks write `interval: 1m`), and one container's downtime does not grow with the
 * others'; those whose services depend on one another (`depends_on`) share a `queue` and run one
 * after another, in the order given. Its inverse recreates again once the files are restored,
 * which brings back the old definition; a rollback recreates each service once, after every other
 * live change.
 */
import type {Kind} from './kind.js';

export type ServiceRecreate = {
	kind: 'service.recreate';
	service: string;
	dependents: string[];
	reason: string;
	/**
	 * Without --no-deps: compose then sees the service's depends_on, as a plain `up -d` does, and
	 * labels the container with the hash `up -d` computes (with --no-deps it hashes the service
	 * without its depends_on, so the next `up -d` recreates it again). Only where every
	 * dependency is already as the files say, or compose would recreate those too (settle).
	 */
	withDependencies?: boolean;
	/** Recreates with the same queue run one after another; absent, the service's own name. */
	queue?: string;
};

export const serviceRecreate: Kind<ServiceRecreate> = {
	inverse: (action) => ({...action, reason: `back to the restored definition (${action.reason})`}),
	describe: (action) => `recreate ${[action.service, ...action.dependents].join(' → ')} (${action.reason})`,
	simulate: (picture, action, files) => {
		// `compose up` recreates the container from its files; the services in its namespace have no networks of their own.
		const networks = files?.services.get(action.service)?.networks;
		if (networks) for (const container of picture.containers.get(action.service) ?? []) container.networks = [...networks];
	},
	sign: '+',
	// With its dependencies, compose may recreate one another's: those never run side by side.
	concurrencyKey: (action) => (action.withDependencies ? 'recreate:with-dependencies' : `recreate:${action.queue ?? action.service}`),
	rollbackPhase: 'recreates',
};
