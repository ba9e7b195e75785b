import type { AnswerError, ValidationResult } from "../answers/types.js";
import type { AnswersValidator } from "../answers/validate.js";
import { choiceOffered, type Draft, errorsAt, isShown, setValueAt, valueAt } from "./draft.js";
import type { GroupNode, ListNode, QuestionNode } from "./model.js";
import type { ChoiceValue, Prompter } from "./prompter.js";
import { pruneHidden, questionsFor, visibleQuestions } from "./relevance.js";
import { type QuestionnaireTexts, renderText } from "./texts.js";

/**
 * The terminal questionnaire: asks only the questions that matter, validates each answer with the answers
 * validator before the next question (the whole draft is validated, the errors at that answer's path are
 * shown), then asks again whatever the whole answers still get wrong (a server outside the domain…).
 */

export interface AskOptions {
  model: GroupNode;
  validator: AnswersValidator;
  prompter: Prompter;
  texts: QuestionnaireTexts;
  /** Earlier answers: their values are offered as defaults. */
  initial?: Draft;
}

function join(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

/** The answer as data: numbers for integer questions when they read as one, nothing for an empty answer. */
export function textToValue(node: QuestionNode, raw: string): unknown {
  if (raw.trim() === "") return undefined;
  if (node.kind === "integer" && /^\s*-?[0-9]+\s*$/.test(raw)) return Number(raw.trim());
  return raw;
}

function valueToText(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

class Session {
  readonly draft: Draft;

  constructor(private readonly o: AskOptions) {
    this.draft = structuredClone(o.initial ?? {});
  }

  private validate(): ValidationResult {
    pruneHidden(this.o.model, this.draft);
    return this.o.validator.validate(this.draft);
  }

  private errorsAt(path: string): AnswerError[] {
    const result = this.validate();
    return result.ok ? [] : errorsAt(result.errors, path);
  }

  private label(node: QuestionNode): string {
    return node.required ? node.title : `${node.title} (${this.o.texts.optional})`;
  }

  async question(node: QuestionNode, path: string): Promise<void> {
    const { prompter, texts } = this.o;
    if (node.description) prompter.say(renderText(texts.terminal.help, { description: node.description }));
    for (;;) {
      const current = valueAt(this.draft, path);
      if (node.kind === "text" || node.kind === "integer") {
        const initial = valueToText(current);
        const raw = await prompter.text({
          message: this.label(node),
          ...(initial === undefined ? {} : { default: initial }),
          validate: (typed) => {
            setValueAt(this.draft, path, textToValue(node, typed));
            const errors = this.errorsAt(path);
            return errors.length === 0 ? true : errors.map((e) => e.message).join(" ");
          },
        });
        setValueAt(this.draft, path, textToValue(node, raw));
      } else {
        const choices: { value: ChoiceValue; name: string }[] =
          node.kind === "boolean"
            ? [
                { value: true, name: texts.yes },
                { value: false, name: texts.no },
              ]
            : node.choices
                .filter((c) => choiceOffered(c, this.draft, current))
                .map((c) => ({ value: c.value, name: c.title }));
        if (!node.required) choices.push({ value: null, name: texts.noAnswer });
        const known = choices.some((c) => c.value === current) ? (current as ChoiceValue) : undefined;
        const value = await prompter.select({
          message: this.label(node),
          choices,
          ...(known === undefined ? {} : { default: known }),
        });
        setValueAt(this.draft, path, value === null ? undefined : value);
      }
      const errors = this.errorsAt(path);
      if (errors.length === 0) return;
      for (const e of errors) prompter.say(e.message);
    }
  }

  async group(node: GroupNode, path: string): Promise<void> {
    for (const child of node.children) {
      const childPath = join(path, child.key);
      const holder = path === "" ? this.draft : valueAt(this.draft, path);
      if (!isShown(child.showWhen, holder)) {
        setValueAt(this.draft, childPath, undefined);
        continue;
      }
      switch (child.kind) {
        case "fixed":
          setValueAt(this.draft, childPath, child.value);
          break;
        case "group":
          await this.subGroup(child, childPath);
          break;
        case "list":
          await this.list(child, childPath);
          break;
        default:
          await this.question(child, childPath);
      }
    }
  }

  private async subGroup(node: GroupNode, path: string): Promise<void> {
    const { prompter, texts } = this.o;
    if (!node.required) {
      if (node.description) prompter.say(renderText(texts.terminal.help, { description: node.description }));
      const wanted = await prompter.confirm({
        message: renderText(texts.optionalGroup, { title: node.title }),
        default: valueAt(this.draft, path) !== undefined,
      });
      if (!wanted) {
        setValueAt(this.draft, path, undefined);
        return;
      }
    } else if (path.split(".").length === 1) {
      prompter.say(renderText(texts.terminal.section, { title: node.title }));
    }
    if (valueAt(this.draft, path) === undefined) setValueAt(this.draft, path, {});
    await this.group(node, path);
  }

  private async list(node: ListNode, path: string): Promise<void> {
    const { prompter, texts } = this.o;
    prompter.say(renderText(texts.terminal.section, { title: node.title }));
    if (node.description) prompter.say(renderText(texts.terminal.help, { description: node.description }));
    const existing = valueAt(this.draft, path);
    const items: unknown[] = Array.isArray(existing) ? existing.slice(0, node.maxItems) : [];
    setValueAt(this.draft, path, items);
    let i = 0;
    for (;;) {
      if (i >= items.length) items.push({});
      prompter.say(renderText(texts.terminal.section, { title: itemTitle(node, i, texts) }));
      await this.group(node.item, `${path}.${i}`);
      i++;
      if (i < Math.max(node.minItems, 1)) continue;
      if (i >= node.maxItems) return;
      if (i < items.length) continue;
      const more = await prompter.confirm({ message: texts.terminal.addAnother, default: false });
      if (!more) return;
    }
  }

  /** Asks again the answers the whole validation still rejects; stops when nothing more can be asked. */
  async fix(): Promise<ValidationResult> {
    for (;;) {
      const result = this.validate();
      if (result.ok) return result;
      const asked = visibleQuestions(this.o.model, this.draft);
      const targets = new Map<string, { node: QuestionNode; errors: AnswerError[] }>();
      for (const error of result.errors) {
        for (const q of questionsFor(asked, error.path)) {
          const entry = targets.get(q.path) ?? { node: q.node, errors: [] };
          if (q.path === error.path) entry.errors.push(error);
          targets.set(q.path, entry);
        }
      }
      if (targets.size === 0) return result;
      this.o.prompter.say(this.o.texts.terminal.fixIntro);
      const shown = new Set<string>();
      for (const error of result.errors) {
        if (shown.has(error.message)) continue;
        shown.add(error.message);
        this.o.prompter.say(`- ${error.message}`);
      }
      for (const [path, { node }] of targets) await this.question(node, path);
    }
  }
}

function itemTitle(node: ListNode, index: number, texts: QuestionnaireTexts): string {
  return renderText(texts.itemTitle, { title: node.item.title, n: index + 1 });
}

/** Runs the questionnaire; resolves with the validation of the final answers (valid unless unfixable). */
export async function askAnswers(options: AskOptions): Promise<{ draft: Draft; result: ValidationResult }> {
  const session = new Session(options);
  await session.group(options.model, "");
  const result = await session.fix();
  return { draft: session.draft, result };
}
