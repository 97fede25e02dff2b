// How a value's origin reads in messages, `explain` and the TUI's info pane.

import { driverSetting } from './catalog.js';
import type { Origin } from './resolver.js';

export function describeOrigin(origin: Origin, selectedProfile?: string): string {
  switch (origin.kind) {
    case 'default':
      return 'default (base.mk: ?= 0)';
    case 'command-line':
      return 'command line';
    case 'implied':
      return `implied by ${driverSetting(origin.by)}`;
    case 'profile': {
      if (origin.via.length === 0) {
        return selectedProfile !== undefined && selectedProfile !== origin.profile
          ? `profile ${origin.profile} (selected as ${selectedProfile})`
          : `profile ${origin.profile}`;
      }
      const chain = [selectedProfile ?? '(selected)', ...origin.via.slice(0, -1)];
      return `profile ${origin.profile} (included by ${chain.join(' -> ')})`;
    }
  }
}
