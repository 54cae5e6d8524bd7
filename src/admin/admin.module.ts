import { Module } from '@nestjs/common';
import { InterviewsModule } from '../interviews/interviews.module';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminController } from './admin.controller';

@Module({ imports: [InterviewsModule], controllers: [AdminController], providers: [AdminTokenGuard] })
export class AdminModule {}
