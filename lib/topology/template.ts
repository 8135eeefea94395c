/** `{{name}}` placeholders in commands (the implementation is in util/template.ts). Pure. */
export { placeholders, renderTemplate, renderTemplateWith } from '../util/template.js';
