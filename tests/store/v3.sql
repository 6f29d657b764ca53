-- A database at schema version 3 (biebsync before the structured preview
-- tables), with one staged import whose summary is still text; made with
-- biebsync 3162f17 `import --stage`.  tests/store/test_store.c migrates it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schools (  id INTEGER PRIMARY KEY,  name TEXT NOT NULL,  brin TEXT NOT NULL,  slug TEXT NOT NULL UNIQUE,  created INTEGER NOT NULL, roster_version INTEGER NOT NULL DEFAULT 0);
INSERT INTO schools VALUES(1,'Testschool','12AB','test',1796216602,0);
CREATE TABLE accounts (  id INTEGER PRIMARY KEY,  username TEXT NOT NULL UNIQUE COLLATE NOCASE,  role TEXT NOT NULL CHECK (role IN ('docent', 'bibliotheek')),  school_id INTEGER REFERENCES schools(id),  pwhash TEXT NOT NULL,  must_change INTEGER NOT NULL,  disabled INTEGER NOT NULL DEFAULT 0,  created INTEGER NOT NULL,  last_login INTEGER NOT NULL DEFAULT 0,  previous_login INTEGER NOT NULL DEFAULT 0,  password_changed INTEGER NOT NULL,  CHECK ((role = 'docent') = (school_id IS NOT NULL)));
CREATE TABLE sessions (  id_hash TEXT PRIMARY KEY,  account_id INTEGER NOT NULL REFERENCES accounts(id)    ON DELETE CASCADE,  created INTEGER NOT NULL,  last_seen INTEGER NOT NULL);
CREATE TABLE throttle (  key TEXT PRIMARY KEY,  failures INTEGER NOT NULL,  last_failure INTEGER NOT NULL);
CREATE TABLE audit_log (  id INTEGER PRIMARY KEY,  at INTEGER NOT NULL,  event TEXT NOT NULL,  account_id INTEGER,  school_id INTEGER,  actor TEXT NOT NULL,  addr TEXT NOT NULL,  detail TEXT NOT NULL);
INSERT INTO audit_log VALUES(1,1796216602,'school_created',NULL,1,'cli','cli','school 1');
INSERT INTO audit_log VALUES(2,1796216602,'import_preview',NULL,1,'cli','cli','import 1: new=2 left=0 moved=0 corrected=0 reenrolled=0 renumbered=0 unchanged=0');
CREATE TABLE students (  id INTEGER PRIMARY KEY,  school_id INTEGER NOT NULL REFERENCES schools(id),  number TEXT NOT NULL,  number_key TEXT NOT NULL,  roepnaam TEXT NOT NULL,  tussenvoegsel TEXT NOT NULL,  achternaam TEXT NOT NULL,  birth INTEGER NOT NULL,  group_name TEXT NOT NULL,  group_key TEXT NOT NULL,  jaargroep INTEGER NOT NULL,  active INTEGER NOT NULL,  enrolled INTEGER NOT NULL,  left_at INTEGER NOT NULL DEFAULT 0,  anonymised INTEGER NOT NULL DEFAULT 0,  UNIQUE (school_id, number_key));
CREATE TABLE imports (  id INTEGER PRIMARY KEY,  school_id INTEGER NOT NULL REFERENCES schools(id),  account_id INTEGER,  actor TEXT NOT NULL,  created INTEGER NOT NULL,  decided INTEGER NOT NULL DEFAULT 0,  state TEXT NOT NULL,  filename TEXT NOT NULL,  size INTEGER NOT NULL,  sha256 TEXT NOT NULL,  format TEXT NOT NULL,  layout TEXT NOT NULL,  roster_version INTEGER NOT NULL,  version_after INTEGER NOT NULL DEFAULT 0,  guard INTEGER NOT NULL,  n_new INTEGER NOT NULL, n_left INTEGER NOT NULL,  n_moved INTEGER NOT NULL, n_corrected INTEGER NOT NULL,  n_reenrolled INTEGER NOT NULL, n_renumbered INTEGER NOT NULL,  n_unchanged INTEGER NOT NULL,  guard_unenrol INTEGER NOT NULL, guard_match INTEGER NOT NULL,  active_before INTEGER NOT NULL, matched INTEGER NOT NULL,  sheet TEXT NOT NULL, header_row INTEGER NOT NULL,  n_errors INTEGER NOT NULL, n_warnings INTEGER NOT NULL,  blocked INTEGER NOT NULL, summary TEXT NOT NULL);
INSERT INTO imports VALUES(1,1,NULL,'cli',1796216602,0,'preview','v3.csv',151,'b2615d67d816c823061dee8861d4a461a2e153be98ac35beb9ed44fe58f53cff','csv','generic',0,0,0,2,0,0,0,0,0,0,0,0,0,0,'csv',1,0,1,0,replace('C	1	1	1	0	Leerlingnummer\nC	2	3	1	0	Roepnaam\nC	3	4	1	0	Tussenvoegsel\nC	4	5	1	0	Achternaam\nC	5	6	1	0	Geboortedatum\nC	6	7	1	0	Groep\nC	7	-1	0	1	BSN\nG	5/6	0	1\nG	Groep 3a	0	1\n','\n',char(10)));
CREATE TABLE import_issues (  import_id INTEGER NOT NULL REFERENCES imports(id)    ON DELETE CASCADE,  seq INTEGER NOT NULL,  code TEXT NOT NULL,  row INTEGER NOT NULL,  col INTEGER NOT NULL,  arg INTEGER NOT NULL,  text TEXT NOT NULL,  PRIMARY KEY (import_id, seq)) WITHOUT ROWID;
INSERT INTO import_issues VALUES(1,0,'bsn_column_dropped',1,7,0,'BSN');
INSERT INTO import_issues VALUES(1,1,'group_changes',3,6,0,'5/6');
CREATE TABLE import_changes (  import_id INTEGER NOT NULL REFERENCES imports(id)    ON DELETE CASCADE,  seq INTEGER NOT NULL,  kind TEXT NOT NULL,  student_id INTEGER NOT NULL,  row INTEGER NOT NULL,  old_number TEXT NOT NULL, old_number_key TEXT NOT NULL,  old_roepnaam TEXT NOT NULL,  old_tussenvoegsel TEXT NOT NULL, old_achternaam TEXT NOT NULL,  old_birth INTEGER NOT NULL, old_group TEXT NOT NULL,  old_group_key TEXT NOT NULL, old_jaargroep INTEGER NOT NULL,  old_active INTEGER NOT NULL, old_enrolled INTEGER NOT NULL,  old_left_at INTEGER NOT NULL,  new_number TEXT NOT NULL, new_number_key TEXT NOT NULL,  new_roepnaam TEXT NOT NULL, new_tussenvoegsel TEXT NOT NULL,  new_achternaam TEXT NOT NULL, new_birth INTEGER NOT NULL,  new_group TEXT NOT NULL, new_group_key TEXT NOT NULL,  new_jaargroep INTEGER NOT NULL,  PRIMARY KEY (import_id, seq)) WITHOUT ROWID;
INSERT INTO import_changes VALUES(1,0,'new',0,2,'','','','','',0,'','',-1,0,0,0,'1001','1001','Zoë','','Jansen',20180314,'Groep 3a','3a',3);
INSERT INTO import_changes VALUES(1,1,'new',0,3,'','','','','',0,'','',-1,0,0,0,'1002','1002','Daan','van den','Berg',20161102,'5/6','5/6',-1);
CREATE INDEX accounts_school ON accounts(school_id);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX audit_school ON audit_log(school_id, id);
CREATE INDEX imports_school ON imports(school_id, id);
CREATE INDEX students_school ON students(school_id);
COMMIT;
PRAGMA user_version = 3;
