"use client";
import { useState } from "react";
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useCan } from "@/components/auth/use-can";
import { errorMessage } from "@/components/data/api-client";
import type { RoutingRule } from "@/components/data/api-types";
import { useDeleteRoutingRule, useReorderRoutingRules, useRoutingRules } from "@/components/data/use-routing-rules";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel } from "@/components/ui/form-fields";
import { HistoryLink } from "@/components/audit/history-link";
import { ExplainPanel } from "./explain-panel";
import { RuleForm } from "./rule-form";

/** The ids in their new order after moving one rule up or down; null when it cannot move. */
export function moveRule(ids: readonly string[], index: number, direction: -1 | 1): string[] | null {
  const target = index + direction;
  if (target < 0 || target >= ids.length) return null;
  const next = [...ids];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

function RuleRow({ rule, index, count, canWrite, onMove, onEdit, onDelete, busy }: { rule: RoutingRule; index: number; count: number; canWrite: boolean; onMove: (direction: -1 | 1) => void; onEdit: () => void; onDelete: () => void; busy: boolean }) {
  const can = useCan();
  // Drag to reorder (pointer or keyboard: focus the handle, Space, arrows, Space); ↑/↓ stay for one-step moves.
  const sortable = useSortable({ id: rule.id, disabled: !canWrite || busy });
  const style = { transform: CSS.Transform.toString(sortable.transform), transition: sortable.transition };
  return (
    <li ref={sortable.setNodeRef} style={style} className={`flex flex-wrap items-start gap-4 bg-white px-5 py-4 ${sortable.isDragging ? "relative z-10 shadow-lg" : ""}`} data-testid="rule-row" data-rule-name={rule.name}>
      {canWrite ? (
        <button
          type="button"
          {...sortable.attributes}
          {...sortable.listeners}
          className="mt-0.5 cursor-grab touch-none rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing"
          aria-label={`Drag ${rule.name} to change its priority`}
          data-testid="rule-drag-handle"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor"><path d="M7 4a1.5 1.5 0 11-3 0 1.5 1.5 0 013 0zm0 6a1.5 1.5 0 11-3 0 1.5 1.5 0 013 0zm-1.5 7.5a1.5 1.5 0 100-3 1.5 1.5 0 000 3zM16 4a1.5 1.5 0 11-3 0 1.5 1.5 0 013 0zm-1.5 7.5a1.5 1.5 0 100-3 1.5 1.5 0 000 3zM16 16a1.5 1.5 0 11-3 0 1.5 1.5 0 013 0z" /></svg>
        </button>
      ) : null}
      <span className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-slate-100 text-xs font-semibold text-slate-600" aria-label={`Position ${index + 1}`}>{index + 1}</span>
      <div className="min-w-0 flex-1 space-y-1.5">
        <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
          {rule.name}
          {rule.enabled ? null : <Chip>disabled</Chip>}
          {rule.scope !== "global" ? <Chip tone="indigo">{rule.scope}: {rule.scope_name ?? rule.scope_id}</Chip> : null}
          <span className="text-xs font-normal text-slate-500">priority {rule.priority}</span>
        </p>
        <code className="block rounded bg-slate-50 px-2 py-1 font-mono text-xs break-all text-slate-700" data-testid="rule-condition-text">{rule.condition || "true (every request)"}</code>
        <p className="flex flex-wrap items-center gap-1.5 text-xs text-slate-600">
          <span className="font-semibold">Targets</span>
          {rule.targets.map((t, i) => <Chip key={i} tone="green">{t.provider}/{t.model} ×{t.weight}</Chip>)}
          {rule.fallbacks.length ? <span className="ml-2 font-semibold">Fallbacks</span> : null}
          {rule.fallbacks.map((t, i) => <Chip key={i} tone="amber">{i + 1}. {t.provider}/{t.model}</Chip>)}
        </p>
      </div>
      {canWrite ? (
        <div className="flex shrink-0 gap-1">
          <Button size="sm" onClick={() => onMove(-1)} disabled={busy || index === 0} aria-label={`Move ${rule.name} up`} data-testid="rule-move-up">↑</Button>
          <Button size="sm" onClick={() => onMove(1)} disabled={busy || index === count - 1} aria-label={`Move ${rule.name} down`} data-testid="rule-move-down">↓</Button>
          <Button size="sm" onClick={onEdit} data-testid="rule-edit" aria-label={`Edit ${rule.name}`}>Edit</Button>
          {can("audit:read") ? <HistoryLink entityType="routing_rule" id={rule.id} name={rule.name} /> : null}
          <Button size="sm" tone="ghost" className="text-rose-700" onClick={onDelete} data-testid="rule-delete" aria-label={`Delete ${rule.name}`}>Delete</Button>
        </div>
      ) : null}
    </li>
  );
}

export function RoutingRulesPanel() {
  const can = useCan();
  const rules = useRoutingRules();
  const reorder = useReorderRoutingRules();
  const remove = useDeleteRoutingRule();
  // undefined = closed, null = new rule, a rule = editing it.
  const [editing, setEditing] = useState<RoutingRule | null | undefined>(undefined);
  const canWrite = can("routing-rules:write");
  const list = rules.data ?? [];

  const move = (index: number, direction: -1 | 1) => {
    const ids = moveRule(list.map((r) => r.id), index, direction);
    if (ids) reorder.mutate(ids);
  };
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const ids = list.map((r) => r.id);
    reorder.mutate(arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <div className="flex items-center justify-between gap-3">
          <p className="text-sm text-slate-600">Evaluated top to bottom; the first rule whose condition matches routes the request.</p>
          {canWrite ? <Button tone="primary" onClick={() => setEditing(null)} data-testid="rule-create-open">New rule</Button> : null}
        </div>
        <ErrorNote message={reorder.error ? errorMessage(reorder.error) : remove.error ? errorMessage(remove.error) : null} />
        {rules.isPending ? (
          <LoadingRows label="Loading routing rules…" />
        ) : rules.isError ? (
          <ErrorNote message={errorMessage(rules.error)} />
        ) : list.length === 0 ? (
          <EmptyState title="No routing rules" testId="rules-empty">Without rules, a request goes to the provider named in its model, or the one that lists the model.</EmptyState>
        ) : (
          <Panel>
            <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
            <SortableContext items={list.map((r) => r.id)} strategy={verticalListSortingStrategy}>
            <ol className="divide-y divide-slate-100" data-testid="rules-list" aria-label="Routing rules by priority">
              {list.map((rule, index) => (
                <RuleRow
                  key={rule.id}
                  rule={rule}
                  index={index}
                  count={list.length}
                  canWrite={canWrite}
                  busy={reorder.isPending}
                  onMove={(direction) => move(index, direction)}
                  onEdit={() => setEditing(rule)}
                  onDelete={() => remove.mutate(rule.id)}
                />
              ))}
            </ol>
            </SortableContext>
            </DndContext>
          </Panel>
        )}
      </div>
      {can("routing:explain") ? <ExplainPanel /> : null}
      <ModalDialog open={editing !== undefined} title={editing ? `Edit “${editing.name}”` : "New routing rule"} onClose={() => setEditing(undefined)} testId="rule-dialog" wide>
        {editing !== undefined ? <RuleForm rule={editing} onDone={() => setEditing(undefined)} /> : null}
      </ModalDialog>
    </div>
  );
}
