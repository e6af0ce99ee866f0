-- A run's `failed` counts both the rows the destination rejected and those never sent because the run
-- stopped early (auth, quota, exhausted retries). The failure-rate SLA judges only the first, over several
-- runs, so they are kept apart. Runs recorded before this migration do not know the split: null.
ALTER TABLE `runs` ADD `rejected` integer;
