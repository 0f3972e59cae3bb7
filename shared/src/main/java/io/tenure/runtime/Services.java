package io.tenure.runtime;

import io.tenure.audit.AuditLog;
import io.tenure.audit.AuditService;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.email.SesEmailSender;
import io.tenure.events.EventBridgePublisher;
import io.tenure.events.EventOutbox;
import io.tenure.idempotency.IdempotencyService;
import io.tenure.identity.ApiKeyService;
import io.tenure.identity.IdentityService;
import io.tenure.invitation.AcceptService;
import io.tenure.invitation.DeliveryFeedback;
import io.tenure.invitation.InvitationQueries;
import io.tenure.invitation.InvitationService;
import io.tenure.invitation.RevokeService;
import io.tenure.invitation.InvitationStore;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.access.MemberAccess;
import io.tenure.member.CheckinService;
import io.tenure.member.CheckinStore;
import io.tenure.member.InviteeStore;
import io.tenure.member.MemberService;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgService;
import io.tenure.org.OrgStore;
import io.tenure.lifecycle.ExpirySweep;
import io.tenure.lifecycle.Reminders;
import io.tenure.schedule.DueItems;
import io.tenure.access.MemberPlans;
import io.tenure.store.Table;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Builds the real services once per function instance (per class loader), from
 * {@link FunctionRuntime}'s environment and clock. SDK clients come from {@link SdkClients} (the
 * light URLConnection HTTP client, timeouts and retries chosen per service) and take region,
 * credentials and endpoints from the SDK's own settings ({@code AWS_ENDPOINT_URL_*}), so local runs
 * need no special code. Each client is built once per instance, on first use. Email classes are
 * touched only by the services that send email, so functions without them in their jar never load
 * them.
 */
public final class Services {
    private static volatile Services instance;

    private final Table table;
    private final Clock clock;
    private final OrgStore orgStore;
    private final MemberAccess access;
    private final AuditLog audit;
    private final MemberStore memberStore;
    // Built on first use, once: only functions that send email or publish events load these SDKs.
    private EmailSender emailSender;
    private EventBridgeClient events;

    private Services() {
        clock = new WholeSecondClock(FunctionRuntime.clock());
        DynamoDbClient dynamo = SdkClients.dynamoDb();
        table = new Table(dynamo, FunctionRuntime.require("TABLE_NAME"));
        orgStore = new OrgStore(table);
        access = new MemberAccess(table, clock);
        audit = new AuditLog();
        memberStore = new MemberStore(table);
    }

    /** The shared wiring of this function instance. */
    public static Services get() {
        Services current = instance;
        if (current == null) {
            synchronized (Services.class) {
                current = instance;
                if (current == null) {
                    current = new Services();
                    instance = current;
                }
            }
        }
        return current;
    }

    public OrgService orgService() {
        return new OrgService(orgStore, memberStore, access, audit, clock);
    }

    public MemberService memberService() {
        return new MemberService(memberStore, new InviteeStore(table), new CheckinStore(table), orgStore, access, audit,
                new MemberPlans(new DueItems(table)), clock);
    }

    public IdempotencyService idempotency() {
        return new IdempotencyService(new io.tenure.idempotency.IdempotencyStore(table), clock);
    }

    public InvitationService invitationService() {
        return new InvitationService(new InvitationStore(table), orgStore, access, audit, emailSender(),
                new EmailTemplates(), FunctionRuntime.require("APP_BASE_URL"), clock,
                Integer.parseInt(FunctionRuntime.require("DAILY_INVITE_CEILING")));
    }

    public io.tenure.invitation.InvitationRequestService invitationRequestService() {
        return new io.tenure.invitation.InvitationRequestService(new InvitationStore(table), invitationService(), orgStore, access,
                audit, emailSender(), new EmailTemplates(), FunctionRuntime.require("APP_BASE_URL"), clock);
    }

    public io.tenure.review.ReviewService reviewService() {
        return new io.tenure.review.ReviewService(new io.tenure.review.ReviewStore(table), memberStore, memberService(),
                invitationWithdrawal(), orgStore, access, audit, new DueItems(table), clock);
    }

    public CheckinService checkinService() {
        return new CheckinService(new CheckinStore(table), memberStore, orgStore, audit, new MemberPlans(new DueItems(table)),
                invitationWithdrawal(), clock);
    }

    public InvitationWithdrawal invitationWithdrawal() {
        return new InvitationWithdrawal(new InvitationStore(table), orgStore, audit, clock);
    }

    public InvitationQueries invitationQueries() {
        return new InvitationQueries(new InvitationStore(table), access, clock);
    }

    public RevokeService revokeService() {
        return new RevokeService(new InvitationStore(table), orgStore, access, audit, clock);
    }

    public AcceptService acceptService() {
        return new AcceptService(new InvitationStore(table), orgStore, memberStore, audit, emailSender(),
                new EmailTemplates(), clock);
    }

    public AuditService auditService() {
        return new AuditService(new io.tenure.audit.AuditStore(table), access);
    }

    public IdentityService identityService() {
        return new IdentityService(new io.tenure.identity.IdentityStore(table), audit, clock);
    }

    public ApiKeyService apiKeyService() {
        return new ApiKeyService(new io.tenure.identity.ApiKeyStore(table), orgStore, access, audit, clock);
    }

    public EventOutbox eventOutbox() {
        return new EventOutbox(table, new EventBridgePublisher(eventBridge(), FunctionRuntime.require("EVENT_BUS_NAME")), clock,
                stage(), io.tenure.log.Log::metric);
    }

    public DeliveryFeedback deliveryFeedback() {
        return new DeliveryFeedback(new InvitationStore(table), orgStore, audit, emailSender(), new EmailTemplates(), clock);
    }

    public ExpirySweep expirySweep() {
        return new ExpirySweep(table, orgStore, audit, emailSender(), new EmailTemplates(), clock);
    }

    public Reminders reminders() {
        return new Reminders(table, orgStore, audit, emailSender(), new EmailTemplates(), FunctionRuntime.require("APP_BASE_URL"), clock);
    }

    /** The deployment stage ({@code STAGE}), the metrics' {@code Stage} dimension; {@code local} when unset. */
    static String stage() {
        String stage = FunctionRuntime.environment().get("STAGE");
        return stage == null || stage.isBlank() ? "local" : stage;
    }

    private synchronized EmailSender emailSender() {
        if (emailSender == null) {
            emailSender = new SesEmailSender(SdkClients.sesV2(), FunctionRuntime.require("SENDER_EMAIL"),
                    FunctionRuntime.environment().get("SES_CONFIGURATION_SET"));
        }
        return emailSender;
    }

    private synchronized EventBridgeClient eventBridge() {
        if (events == null) {
            events = SdkClients.eventBridge();
        }
        return events;
    }
}
