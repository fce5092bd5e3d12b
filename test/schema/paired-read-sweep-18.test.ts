// The clone suite's drift-case sweep on PostgreSQL 18 (paired-read-sweep.ts).
import { sweepDriftCases } from "./paired-read-sweep.ts";

sweepDriftCases(18);
