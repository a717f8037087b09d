import GRDB

/// Named migrations, applied in order and never edited once released (GRDB `Migrations.md`).
/// Every money column is checked to be an integer: SQLite would otherwise turn an overflowing sum
/// into a floating-point value without an error.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 ledger, users, audit") { db in
            try db.execute(sql: foundation)
        }
        migrator.registerMigration("v2 orders, flows, refunds, jobs, cases") { db in
            try db.execute(sql: orders)
        }
        migrator.registerMigration("v3 rates and FX quotes") { db in
            try db.execute(sql: rates)
        }
        migrator.registerMigration("v4 companies, members, wallets") { db in
            try db.execute(sql: companies)
        }
        migrator.registerMigration("v5 correspondent network") { db in
            try db.execute(
                sql: """
                    CREATE TABLE networkFile (
                        name TEXT PRIMARY KEY NOT NULL,
                        text TEXT NOT NULL,
                        source TEXT NOT NULL,
                        loadedAt INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v6 beneficiaries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE beneficiary (
                        company TEXT NOT NULL REFERENCES company(id),
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        scheme TEXT NOT NULL,
                        account TEXT NOT NULL,
                        bank TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        country TEXT NOT NULL,
                        street TEXT,
                        building TEXT,
                        postcode TEXT,
                        town TEXT,
                        purpose TEXT,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        status TEXT NOT NULL CHECK (status IN ('pending', 'approved')),
                        changedBy TEXT NOT NULL,
                        changedAt INTEGER NOT NULL,
                        approvedBy TEXT,
                        approvedAt INTEGER,
                        paidVersion INTEGER,
                        PRIMARY KEY (company, id),
                        CHECK ((status = 'approved') = (approvedBy IS NOT NULL)),
                        CHECK (approvedBy IS NULL OR approvedBy <> changedBy)
                    );
                    """)
        }
        migrator.registerMigration("v7 payouts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE payout (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        uetr TEXT NOT NULL UNIQUE,
                        company TEXT NOT NULL REFERENCES company(id),
                        beneficiary TEXT NOT NULL,
                        beneficiaryVersion INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        quote TEXT NOT NULL,
                        executionDate TEXT NOT NULL,
                        releaseAt INTEGER NOT NULL,
                        reference TEXT,
                        createdBy TEXT NOT NULL,
                        createdAt INTEGER NOT NULL,
                        expiresAt INTEGER NOT NULL,
                        FOREIGN KEY (company, beneficiary) REFERENCES beneficiary(company, id)
                    );
                    CREATE INDEX payoutByCompany ON payout(company, status);
                    """)
        }
        migrator.registerMigration("v8 payout approvals and holds") { db in
            try db.execute(
                sql: """
                    ALTER TABLE payout ADD COLUMN approvals TEXT NOT NULL DEFAULT '';
                    ALTER TABLE payout ADD COLUMN hold INTEGER REFERENCES hold(id);
                    """)
        }
        migrator.registerMigration("v9 payout release, journeys, recalls, network failures") { db in
            try db.execute(sql: payoutExecution)
        }
        migrator.registerMigration("v10 payout batches") { db in
            try db.execute(sql: batches)
        }
        migrator.registerMigration("v11 batch approvals and submission") { db in
            try db.execute(
                sql: """
                    ALTER TABLE batch ADD COLUMN approvals TEXT NOT NULL DEFAULT '';
                    ALTER TABLE batch ADD COLUMN submittedAt INTEGER;
                    ALTER TABLE batch ADD COLUMN submittedBy TEXT;
                    ALTER TABLE payout ADD COLUMN batch INTEGER REFERENCES batch (id);
                    CREATE INDEX payout_by_batch ON payout (batch) WHERE batch IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v12 beneficiaries by account") { db in
            // A batch item finds the company's beneficiary with its account and currency.
            try db.execute(
                sql: """
                    CREATE INDEX beneficiary_by_account
                        ON beneficiary (company, scheme, account, currency, id)
                    """)
        }
        migrator.registerMigration("v13 payout duplicates") { db in
            try db.execute(
                sql: """
                    ALTER TABLE payout ADD COLUMN endToEnd TEXT;
                    ALTER TABLE payout ADD COLUMN askedMinor INTEGER;
                    ALTER TABLE payout ADD COLUMN askedCurrency TEXT;
                    ALTER TABLE payout ADD COLUMN duplicateOf INTEGER REFERENCES payout (id);
                    CREATE INDEX payout_by_beneficiary ON payout (company, beneficiary, createdAt);
                    CREATE INDEX payout_by_end_to_end ON payout (company, endToEnd)
                        WHERE endToEnd IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v14 families") { db in
            try db.execute(sql: families)
            // New job kinds: SQLite cannot change a CHECK constraint, so the table is rebuilt
            // (the GRDB/SQLite recipe: new table, copy, drop, rename, indexes again).
            try db.execute(sql: jobKindsWithFamilies)
        }
        migrator.registerMigration("v15 batch approvals name the duplicates") { db in
            // Whether the approvals given so far include the held possible duplicates: every
            // approver of a batch approves the same payouts.
            try db.execute(sql: "ALTER TABLE batch ADD COLUMN includesDuplicates INTEGER")
        }
        migrator.registerMigration("v16 wallet IBANs") { db in
            // A pain.001's debtor account names the wallet it debits.
            try db.execute(
                sql: """
                    ALTER TABLE wallet ADD COLUMN iban TEXT;
                    CREATE UNIQUE INDEX wallet_by_iban ON wallet (iban) WHERE iban IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v17 payouts name their batch item and account") { db in
            // A batch payout carries its item's position: quoting writes nothing back into the
            // items (a 100,000-item batch's items are 50 MB of pages to rewrite otherwise).
            // `batchItem.payout` is superseded and cleared; the new index serves every look-up
            // by batch, so `payout_by_batch` goes. Every payout keeps the account it pays
            // (`SCHEME:VALUE`, as its beneficiary had it when it was made): the duplicate checks
            // compare accounts, whichever beneficiary carries them; earlier payouts take their
            // beneficiary's account as it is now.
            try db.execute(
                sql: """
                    ALTER TABLE payout ADD COLUMN account TEXT;
                    UPDATE payout SET account = (
                        SELECT b.scheme || ':' || b.account FROM beneficiary b
                        WHERE b.company = payout.company AND b.id = payout.beneficiary);
                    CREATE INDEX payout_by_account ON payout (company, account, createdAt);
                    ALTER TABLE payout ADD COLUMN batchPosition INTEGER;
                    UPDATE payout SET batchPosition = i.position
                        FROM batchItem i WHERE i.batch = payout.batch AND i.payout = payout.id;
                    UPDATE batchItem SET payout = NULL WHERE payout IS NOT NULL;
                    CREATE UNIQUE INDEX payout_by_batch_position ON payout (batch, batchPosition)
                        WHERE batch IS NOT NULL;
                    DROP INDEX payout_by_batch;
                    """)
        }
        return migrator
    }

    /// Families (DESIGN.md §6): members with a role and a policy each, payments and requests
    /// tied to trade orders, deposits (who sponsors the pool), allowances and notifications.
    static let families = """
        CREATE TABLE family (
            id TEXT PRIMARY KEY NOT NULL,
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            timeZone TEXT NOT NULL,
            owner TEXT NOT NULL REFERENCES person (name),
            refundsRestoreLimits INTEGER NOT NULL DEFAULT 0 CHECK (refundsRestoreLimits IN (0, 1)),
            createdAt INTEGER NOT NULL
        );
        CREATE TABLE familyMember (
            family TEXT NOT NULL REFERENCES family (id),
            person TEXT NOT NULL REFERENCES person (name),
            role TEXT NOT NULL CHECK (role IN ('owner', 'guardian', 'adult', 'minor', 'viewer')),
            status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'removed', 'left')),
            invitedBy TEXT NOT NULL,
            invitedAt INTEGER NOT NULL,
            joinedAt INTEGER,
            endedAt INTEGER,
            policy TEXT NOT NULL,
            PRIMARY KEY (family, person)
        );
        CREATE TABLE familyPayment (
            tradeOrder INTEGER PRIMARY KEY REFERENCES tradeOrder (id),
            family TEXT NOT NULL REFERENCES family (id),
            member TEXT NOT NULL,
            merchant TEXT NOT NULL,
            category TEXT NOT NULL,
            spendMinor INTEGER NOT NULL CHECK (typeof(spendMinor) = 'integer' AND spendMinor > 0),
            ownMinor INTEGER NOT NULL CHECK (typeof(ownMinor) = 'integer' AND ownMinor >= 0),
            poolMinor INTEGER NOT NULL CHECK (typeof(poolMinor) = 'integer' AND poolMinor >= 0),
            createdAt INTEGER NOT NULL,
            paidAt INTEGER,
            billMinor INTEGER NOT NULL CHECK (typeof(billMinor) = 'integer' AND billMinor > 0),
            billCurrency TEXT NOT NULL CHECK (length(billCurrency) = 3),
            billRefundedMinor INTEGER NOT NULL DEFAULT 0
                CHECK (typeof(billRefundedMinor) = 'integer' AND billRefundedMinor BETWEEN 0 AND billMinor),
            rate TEXT,
            CHECK (paidAt IS NULL OR ownMinor + poolMinor = spendMinor)
        );
        CREATE INDEX familyPayment_by_member ON familyPayment (family, member, paidAt);
        CREATE TABLE familyRequest (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            family TEXT NOT NULL REFERENCES family (id),
            member TEXT NOT NULL,
            tradeOrder INTEGER NOT NULL UNIQUE REFERENCES tradeOrder (id),
            funding TEXT NOT NULL,
            reasons TEXT NOT NULL,
            approvalsNeeded INTEGER NOT NULL CHECK (approvalsNeeded IN (1, 2)),
            approvals TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'expired')),
            createdAt INTEGER NOT NULL,
            expiresAt INTEGER NOT NULL,
            decidedAt INTEGER,
            decidedBy TEXT,
            CHECK (expiresAt > createdAt)
        );
        CREATE INDEX familyRequest_by_family ON familyRequest (family, status, id);
        CREATE TABLE familyDeposit (
            id INTEGER PRIMARY KEY,
            family TEXT NOT NULL REFERENCES family (id),
            depositor TEXT NOT NULL,
            target TEXT NOT NULL,
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            source TEXT NOT NULL,
            transfer INTEGER NOT NULL REFERENCES transfer (id),
            at INTEGER NOT NULL
        );
        CREATE INDEX familyDeposit_by_family ON familyDeposit (family, target, depositor);
        CREATE TABLE familyAllowance (
            id INTEGER PRIMARY KEY,
            family TEXT NOT NULL REFERENCES family (id),
            member TEXT NOT NULL,
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            every TEXT NOT NULL CHECK (every IN ('week', 'month')),
            startsAt INTEGER NOT NULL,
            paidCount INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL CHECK (active IN (0, 1)),
            createdBy TEXT NOT NULL,
            createdAt INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX familyAllowance_active
            ON familyAllowance (family, member) WHERE active = 1;
        CREATE TABLE familyNotice (
            id INTEGER PRIMARY KEY,
            family TEXT NOT NULL REFERENCES family (id),
            recipient TEXT NOT NULL,
            at INTEGER NOT NULL,
            text TEXT NOT NULL,
            tradeOrder INTEGER
        );
        CREATE INDEX familyNotice_by_recipient ON familyNotice (family, recipient, id);
        """

    static let jobKindsWithFamilies = """
        CREATE TABLE job_new (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN
                ('submit', 'query', 'notify', 'refund_submit', 'refund_query', 'reminder', 'expire', 'retry',
                 'allowance', 'request_expire')),
            subject INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            dueAt INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('due', 'leased', 'done', 'cancelled', 'failed')),
            leasedBy TEXT,
            leaseUntil INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            createdAt INTEGER NOT NULL,
            doneAt INTEGER,
            failure TEXT,
            UNIQUE (kind, subject, seq),
            CHECK ((status = 'leased') = (leaseUntil IS NOT NULL))
        );
        INSERT INTO job_new SELECT * FROM job;
        DROP TABLE job;
        ALTER TABLE job_new RENAME TO job;
        CREATE INDEX job_due ON job (status, dueAt, id);
        """

    /// `dueAt` is a payout's next step for the workers: its release (approved) or the end of its
    /// journey (released); NULL when nothing is left to do.
    static let payoutExecution = """
        ALTER TABLE payout ADD COLUMN journey TEXT;
        ALTER TABLE payout ADD COLUMN dueAt INTEGER;
        ALTER TABLE payout ADD COLUMN recall TEXT;
        UPDATE payout SET dueAt = releaseAt WHERE status = 'approved';
        CREATE INDEX payout_due ON payout (dueAt) WHERE dueAt IS NOT NULL;

        CREATE TABLE networkFailure (
            bic TEXT PRIMARY KEY NOT NULL,
            reason TEXT NOT NULL,
            shareBps INTEGER NOT NULL CHECK (shareBps BETWEEN 1 AND 10000),
            seed INTEGER NOT NULL,
            setBy TEXT NOT NULL,
            setAt INTEGER NOT NULL
        );
        """

    /// A batch is unique per company and MsgId: importing the same file again finds it.
    static let batches = """
        CREATE TABLE batch (
            id INTEGER PRIMARY KEY,
            company TEXT NOT NULL REFERENCES company (id),
            messageId TEXT NOT NULL,
            format TEXT NOT NULL,
            fileName TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'quoted', 'approved', 'scheduled',
                'released', 'completed', 'partly_completed', 'cancelled')),
            items INTEGER NOT NULL CHECK (items > 0),
            leftOut INTEGER NOT NULL,
            totals TEXT NOT NULL,
            problems TEXT NOT NULL,
            importedBy TEXT NOT NULL,
            importedAt INTEGER NOT NULL,
            UNIQUE (company, messageId)
        );

        CREATE TABLE batchItem (
            batch INTEGER NOT NULL REFERENCES batch (id),
            position INTEGER NOT NULL,
            path TEXT NOT NULL,
            item TEXT NOT NULL,
            payout INTEGER REFERENCES payout (id),
            PRIMARY KEY (batch, position)
        ) WITHOUT ROWID;
        """

    static let foundation = """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );

        CREATE TABLE person (
            name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
            role TEXT NOT NULL CHECK (role IN ('admin', 'treasurer', 'approver', 'member', 'viewer')),
            pinHash TEXT,
            isOperator INTEGER NOT NULL CHECK (isOperator IN (0, 1)),
            disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
            createdAt INTEGER NOT NULL,
            CHECK (isOperator = 1 OR pinHash IS NOT NULL)
        );
        CREATE UNIQUE INDEX person_single_operator ON person (isOperator) WHERE isOperator = 1;

        CREATE TABLE pinFailure (
            person TEXT NOT NULL REFERENCES person (name),
            source TEXT NOT NULL,
            failures INTEGER NOT NULL CHECK (failures BETWEEN 0 AND 5),
            lockedUntil INTEGER,
            PRIMARY KEY (person, source)
        );

        CREATE TABLE auditEntry (
            seq INTEGER PRIMARY KEY CHECK (seq > 0),
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            command TEXT NOT NULL,
            outcome TEXT NOT NULL,
            marked INTEGER NOT NULL CHECK (marked IN (0, 1)),
            reason TEXT,
            prevHash TEXT NOT NULL CHECK (length(prevHash) = 64),
            hash TEXT NOT NULL CHECK (length(hash) = 64)
        );
        CREATE TRIGGER auditEntry_append_only_update BEFORE UPDATE ON auditEntry
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER auditEntry_append_only_delete BEFORE DELETE ON auditEntry
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

        CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            type TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'income', 'expense')),
            mayGoNegative INTEGER NOT NULL CHECK (mayGoNegative IN (0, 1)),
            isCustomerMoney INTEGER NOT NULL CHECK (isCustomerMoney IN (0, 1)),
            openedAt INTEGER NOT NULL,
            bookedMinor INTEGER NOT NULL DEFAULT 0 CHECK (typeof(bookedMinor) = 'integer'),
            heldMinor INTEGER NOT NULL DEFAULT 0 CHECK (typeof(heldMinor) = 'integer' AND heldMinor >= 0),
            CHECK (mayGoNegative = 1 OR bookedMinor - heldMinor >= 0)
        );

        CREATE TABLE hold (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            debitAccount INTEGER NOT NULL REFERENCES account (id),
            creditAccount INTEGER NOT NULL REFERENCES account (id),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'voided', 'expired')),
            placedAt INTEGER NOT NULL,
            expiresAt INTEGER,
            closedAt INTEGER,
            memo TEXT,
            CHECK (debitAccount <> creditAccount),
            CHECK ((status = 'pending') = (closedAt IS NULL))
        );
        CREATE INDEX hold_pending_by_expiry ON hold (status, expiresAt);

        CREATE TABLE transfer (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            memo TEXT,
            reverses INTEGER REFERENCES transfer (id),
            hold INTEGER REFERENCES hold (id),
            auditSeq INTEGER NOT NULL REFERENCES auditEntry (seq),
            auditHash TEXT NOT NULL CHECK (length(auditHash) = 64)
        );
        -- Partial: the many transfers that reverse nothing and post no hold add no index entries.
        CREATE UNIQUE INDEX transfer_reversal ON transfer (reverses) WHERE reverses IS NOT NULL;
        CREATE UNIQUE INDEX transfer_of_hold ON transfer (hold) WHERE hold IS NOT NULL;
        CREATE TRIGGER transfer_immutable_update BEFORE UPDATE ON transfer
            BEGIN SELECT RAISE(ABORT, 'transfers are immutable: post a reversal instead'); END;
        CREATE TRIGGER transfer_immutable_delete BEFORE DELETE ON transfer
            BEGIN SELECT RAISE(ABORT, 'transfers are immutable: post a reversal instead'); END;

        CREATE TABLE posting (
            id INTEGER PRIMARY KEY,
            transfer INTEGER NOT NULL REFERENCES transfer (id),
            account INTEGER NOT NULL REFERENCES account (id),
            side TEXT NOT NULL CHECK (side IN ('debit', 'credit')),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0)
        );
        CREATE INDEX posting_by_account ON posting (account, id);
        CREATE INDEX posting_by_transfer ON posting (transfer);
        CREATE TRIGGER posting_immutable_update BEFORE UPDATE ON posting
            BEGIN SELECT RAISE(ABORT, 'postings are immutable: post a reversal instead'); END;
        CREATE TRIGGER posting_immutable_delete BEFORE DELETE ON posting
            BEGIN SELECT RAISE(ABORT, 'postings are immutable: post a reversal instead'); END;

        CREATE TABLE idempotency (
            key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
            command TEXT NOT NULL,
            request TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'refused')),
            result TEXT NOT NULL,
            at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    static let orders = """
        CREATE TABLE channel (
            name TEXT PRIMARY KEY NOT NULL,
            definition TEXT NOT NULL,
            loadedAt INTEGER NOT NULL
        );

        CREATE TABLE tradeOrder (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            payer TEXT NOT NULL CHECK (length(payer) BETWEEN 1 AND 64),
            payee TEXT NOT NULL CHECK (length(payee) BETWEEN 1 AND 64),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            reference TEXT,
            state TEXT NOT NULL
                CHECK (state IN ('created', 'paid', 'partially_refunded', 'refunded', 'cancelled')),
            withholding INTEGER NOT NULL CHECK (withholding IN (0, 1)),
            createdAt INTEGER NOT NULL,
            expiresAt INTEGER NOT NULL,
            remindAt INTEGER,
            actor TEXT NOT NULL,
            CHECK (expiresAt > createdAt)
        );
        CREATE INDEX tradeOrder_duplicates ON tradeOrder (payer, payee, currency, amountMinor, createdAt);

        CREATE TABLE paymentOrder (
            tradeOrder INTEGER PRIMARY KEY REFERENCES tradeOrder (id),
            state TEXT NOT NULL
                CHECK (state IN ('held', 'open', 'paying', 'succeeded', 'failed', 'closed', 'expired')),
            settledAt INTEGER
        );

        CREATE TABLE paymentFlow (
            id INTEGER PRIMARY KEY,
            paymentOrder INTEGER NOT NULL REFERENCES paymentOrder (tradeOrder),
            source TEXT NOT NULL,
            channel TEXT REFERENCES channel (name),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            state TEXT NOT NULL CHECK (state IN
                ('accepted', 'processing', 'awaiting_reconciliation', 'succeeded', 'failed', 'reversed')),
            caseOpen INTEGER NOT NULL DEFAULT 0 CHECK (caseOpen IN (0, 1)),
            reference TEXT NOT NULL UNIQUE,
            attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
            replaced INTEGER NOT NULL DEFAULT 0 CHECK (replaced IN (0, 1)),
            lastCode TEXT,
            createdAt INTEGER NOT NULL,
            submittedAt INTEGER,
            settledAt INTEGER,
            CHECK ((channel IS NULL) = (substr(source, 1, 8) <> 'channel:'))
        );
        CREATE INDEX paymentFlow_by_order ON paymentFlow (paymentOrder);

        CREATE TABLE refund (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            tradeOrder INTEGER NOT NULL REFERENCES tradeOrder (id),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'partial')),
            automatic INTEGER NOT NULL CHECK (automatic IN (0, 1)),
            createdAt INTEGER NOT NULL,
            settledAt INTEGER
        );
        CREATE INDEX refund_by_order ON refund (tradeOrder);

        CREATE TABLE refundPart (
            id INTEGER PRIMARY KEY,
            refund INTEGER NOT NULL REFERENCES refund (id),
            flow INTEGER NOT NULL REFERENCES paymentFlow (id),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            state TEXT NOT NULL CHECK (state IN
                ('accepted', 'processing', 'awaiting_reconciliation', 'succeeded', 'failed', 'reversed')),
            caseOpen INTEGER NOT NULL DEFAULT 0 CHECK (caseOpen IN (0, 1)),
            reference TEXT NOT NULL UNIQUE,
            hold INTEGER REFERENCES hold (id),
            createdAt INTEGER NOT NULL,
            submittedAt INTEGER,
            settledAt INTEGER,
            UNIQUE (refund, flow)
        );
        CREATE INDEX refundPart_by_flow ON refundPart (flow);

        CREATE TABLE flowReversal (
            id INTEGER PRIMARY KEY,
            flow INTEGER NOT NULL REFERENCES paymentFlow (id),
            kind TEXT NOT NULL CHECK (kind IN ('sibling_failed', 'chargeback', 'return')),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            transfer INTEGER NOT NULL REFERENCES transfer (id),
            reason TEXT,
            at INTEGER NOT NULL
        );
        CREATE INDEX flowReversal_by_flow ON flowReversal (flow);

        CREATE TABLE flowCase (
            id INTEGER PRIMARY KEY,
            tradeOrder INTEGER NOT NULL REFERENCES tradeOrder (id),
            flow INTEGER REFERENCES paymentFlow (id),
            refundPart INTEGER REFERENCES refundPart (id),
            reason TEXT NOT NULL,
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            currency TEXT NOT NULL,
            moved INTEGER NOT NULL CHECK (moved IN (0, 1)),
            suspenseTransfer INTEGER NOT NULL REFERENCES transfer (id),
            state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
            resolution TEXT,
            resolutionTransfer INTEGER REFERENCES transfer (id),
            openedAt INTEGER NOT NULL,
            resolvedAt INTEGER,
            CHECK ((flow IS NULL) <> (refundPart IS NULL)),
            CHECK ((state = 'resolved') = (resolutionTransfer IS NOT NULL))
        );

        CREATE TABLE orderEvent (
            id INTEGER PRIMARY KEY,
            tradeOrder INTEGER NOT NULL REFERENCES tradeOrder (id),
            at INTEGER NOT NULL,
            object TEXT NOT NULL,
            fromState TEXT,
            toState TEXT NOT NULL,
            detail TEXT
        );
        CREATE INDEX orderEvent_by_order ON orderEvent (tradeOrder, id);

        CREATE TABLE job (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN
                ('submit', 'query', 'notify', 'refund_submit', 'refund_query', 'reminder', 'expire', 'retry')),
            subject INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            dueAt INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('due', 'leased', 'done', 'cancelled', 'failed')),
            leasedBy TEXT,
            leaseUntil INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            createdAt INTEGER NOT NULL,
            doneAt INTEGER,
            failure TEXT,
            UNIQUE (kind, subject, seq),
            CHECK ((status = 'leased') = (leaseUntil IS NOT NULL))
        );
        CREATE INDEX job_due ON job (status, dueAt, id);

        CREATE TABLE channelRequest (
            id INTEGER PRIMARY KEY,
            job INTEGER NOT NULL UNIQUE REFERENCES job (id),
            channel TEXT NOT NULL REFERENCES channel (name),
            kind TEXT NOT NULL,
            reference TEXT NOT NULL,
            sentAt INTEGER NOT NULL,
            code TEXT,
            subCode TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'processing', 'unknown'))
        );
        CREATE INDEX channelRequest_by_reference ON channelRequest (reference, id);

        CREATE TABLE channelReport (
            id INTEGER PRIMARY KEY,
            reportKey TEXT NOT NULL UNIQUE,
            reference TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('sync', 'notification', 'query', 'reconciliation')),
            code TEXT,
            subCode TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'processing', 'unknown')),
            receivedAt INTEGER NOT NULL
        );

        CREATE TABLE notice (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            tradeOrder INTEGER REFERENCES tradeOrder (id),
            text TEXT NOT NULL
        );
        """

    static let rates = """
        CREATE TABLE rate (
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            day INTEGER NOT NULL,
            source TEXT NOT NULL,
            mantissa INTEGER NOT NULL CHECK (typeof(mantissa) = 'integer' AND mantissa > 0),
            scale INTEGER NOT NULL CHECK (scale BETWEEN 0 AND 18),
            PRIMARY KEY (currency, day, source)
        ) WITHOUT ROWID;

        CREATE TABLE fxQuote (
            id INTEGER PRIMARY KEY,
            fromCurrency TEXT NOT NULL CHECK (length(fromCurrency) = 3),
            toCurrency TEXT NOT NULL CHECK (length(toCurrency) = 3),
            amountMinor INTEGER NOT NULL CHECK (typeof(amountMinor) = 'integer' AND amountMinor > 0),
            fromMantissa INTEGER NOT NULL CHECK (fromMantissa > 0),
            fromScale INTEGER NOT NULL,
            toMantissa INTEGER NOT NULL CHECK (toMantissa > 0),
            toScale INTEGER NOT NULL,
            day INTEGER NOT NULL,
            marginBps INTEGER NOT NULL CHECK (marginBps BETWEEN 0 AND 9999),
            createdAt INTEGER NOT NULL,
            expiresAt INTEGER NOT NULL,
            usedAt INTEGER,
            actor TEXT NOT NULL,
            CHECK (expiresAt > createdAt)
        );
        """

    static let companies = """
        CREATE TABLE company (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 40),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            country TEXT NOT NULL CHECK (length(country) = 2),
            secondApprovalOverMinor INTEGER CHECK (secondApprovalOverMinor IS NULL OR secondApprovalOverMinor > 0),
            secondApprovalCurrency TEXT,
            createdAt INTEGER NOT NULL,
            CHECK ((secondApprovalOverMinor IS NULL) = (secondApprovalCurrency IS NULL))
        );

        CREATE TABLE companyMember (
            company TEXT NOT NULL REFERENCES company (id),
            person TEXT NOT NULL REFERENCES person (name),
            role TEXT NOT NULL CHECK (role IN ('treasurer', 'approver', 'viewer')),
            addedAt INTEGER NOT NULL,
            PRIMARY KEY (company, person)
        );
        CREATE INDEX companyMember_by_person ON companyMember (person);

        CREATE TABLE wallet (
            company TEXT NOT NULL REFERENCES company (id),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            bank TEXT NOT NULL CHECK (length(bank) IN (8, 11)),
            account INTEGER NOT NULL UNIQUE REFERENCES account (id),
            openedAt INTEGER NOT NULL,
            PRIMARY KEY (company, currency)
        );
        """
}
