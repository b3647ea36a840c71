/**
 * What the wizard asks of the core: plain-data calls, loaded after the first frame
 * (source/wizard.tsx) or faked in the screen tests. The UI never calls Docker itself, and is
 * shown actions only as described lines (source/core.ts).
 */
import type {CheckResult, HealthResult, Mode} from '../domain.js';
import type {DescribedRollbackPreview, WizardRunOptions} from '../core.js';
import type {ApplyResult, RollbackResult, SettleResult} from '../run.js';
import type {NetworkMap} from '../plan/map.js';
import type {ReachabilityMatrix} from '../plan/matrix.js';
import type {Overview, Review} from '../session.js';

/** A stack netmigrate has run in on this host, which the wizard offers when started where there is no plan. */
export type KnownStack = {root: string; plan: string; lastRun: string};

export type Core = {
	loadOverview: (planFile: string, host: string) => Promise<Overview>;
	loadReview: (planFile: string, host: string, index: number, mode?: Mode) => Promise<Review>;
	applyIteration: (options: WizardRunOptions) => Promise<ApplyResult>;
	rollbackIteration: (options: WizardRunOptions) => Promise<RollbackResult>;
	settleStack: (options: WizardRunOptions) => Promise<SettleResult>;
	previewRollback: (planFile: string, iteration?: number) => Promise<DescribedRollbackPreview>;
	checksOnly: (planFile: string, host: string, index: number) => Promise<{checks: CheckResult[]; health: HealthResult[]}>;
	journalLines: (planFile: string) => Promise<string[]>;
	readText: (file: string) => Promise<string>;
	/** Now against the plan after iteration `index` (0-based; default: the next to apply). */
	loadMap: (planFile: string, host: string, index?: number) => Promise<NetworkMap>;
	/** Every pair of namespaces probed against the plan after the last done iteration. */
	verifyIsolation: (planFile: string, host: string) => Promise<ReachabilityMatrix>;
	/** The stacks to offer when `planFile` is not there (none when it is). */
	recentStacks: (planFile: string) => Promise<KnownStack[]>;
};
