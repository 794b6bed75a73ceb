/**
 * Who a decision is recorded under. Without authentication the user types it (kept for the tab);
 * with authentication it is the token's subject, shown read-only: the API refuses any other name.
 */
import { useAccess } from '../api/permissions.ts';
import { actorId } from '../api/session.ts';
import { useSignal } from '../api/signal.ts';

export function ActorField({ id, name, label }: { id: string; name: string; label: string }) {
  const { identity } = useAccess();
  const typed = useSignal(actorId);
  if (identity.required) {
    return (
      <div class="field">
        <label for={id}>{label} — your token's subject</label>
        <input id={id} name={name} value={identity.subject ?? ''} readOnly />
      </div>
    );
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={name} defaultValue={typed} required />
    </div>
  );
}
