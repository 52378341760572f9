/**
 * The words moved to locales/ (JSON) and their code to src/i18n; this path stays so that code importing it
 * from here keeps working until every importer names src/i18n.
 */
export * from '../../i18n/index.js';
